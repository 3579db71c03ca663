package io.hookline.retryscheduler.adapter.out.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.retryscheduler.domain.PendingRetries;
import io.hookline.retryscheduler.domain.ScheduledRetry;
import io.hookline.schemas.InvalidEventException;
import io.hookline.schemas.UnknownSchemaIdException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A record read from a retry topic and what it says about its due time: a {@link RetryRequest}'s
 * due time, or why the record cannot be scheduled. Only the due time is decoded; the record is
 * released with its original bytes.
 */
record RetryRecord(
    ConsumerRecord<byte[], byte[]> record, long dueAt, InvalidEventException.Reason reason, String problem)
    implements ScheduledRetry {

  /**
   * Reads the due time with {@code requests}, the retry topics' serde (with a schema registry it
   * reads the registry's wire format too). A registry that does not answer is not the record's fault:
   * its {@link io.hookline.schemas.SchemaRegistryException} goes up and stops the poll.
   */
  static RetryRecord of(ConsumerRecord<byte[], byte[]> record, Deserializer<RetryRequest> requests) {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      return unschedulable(record, InvalidEventException.Reason.EMPTY_RECORD, "the retry record has no value");
    }
    try {
      return new RetryRecord(record, requests.deserialize(record.topic(), value).getDueAt(), null, null);
    } catch (UnknownSchemaIdException e) {
      return unschedulable(record, InvalidEventException.Reason.UNKNOWN_SCHEMA_ID, e.getMessage());
    } catch (SerializationException e) {
      return unschedulable(record, InvalidEventException.Reason.UNDECODABLE_AVRO, e.getMessage());
    }
  }

  private static RetryRecord unschedulable(
      ConsumerRecord<byte[], byte[]> record, InvalidEventException.Reason reason, String problem) {
    return new RetryRecord(record, PendingRetries.DUE_AT_ONCE, reason, problem);
  }

  @Override
  public boolean schedulable() {
    return reason == null;
  }
}
