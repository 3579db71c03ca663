package io.hookline.retryscheduler.adapter.out.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.retryscheduler.domain.PendingRetries;
import io.hookline.retryscheduler.domain.ScheduledRetry;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record read from a retry topic and what it says about its due time: a {@link RetryRequest}'s
 * due time, or why the record cannot be scheduled. Only the due time is decoded; the record is
 * released with its original bytes.
 */
record RetryRecord(
    ConsumerRecord<byte[], byte[]> record, long dueAt, InvalidEventException.Reason reason, String problem)
    implements ScheduledRetry {

  private static final AvroSerde<RetryRequest> RETRY_REQUESTS = AvroSerde.of(RetryRequest.class);

  static RetryRecord of(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      return unschedulable(record, InvalidEventException.Reason.EMPTY_RECORD, "the retry record has no value");
    }
    try {
      return new RetryRecord(record, RETRY_REQUESTS.decode(value).getDueAt(), null, null);
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
