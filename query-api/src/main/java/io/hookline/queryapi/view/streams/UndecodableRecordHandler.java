package io.hookline.queryapi.view.streams;

import io.hookline.schemas.InvalidEventException;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.schemas.UnknownSchemaIdException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the query views do with a record of the attempts or dead-letter topic that does not decode:
 * the view goes on without it, and the record is copied byte for byte to the topic named by
 * {@code errors.dead.letter.queue.topic.name} (Hookline's invalid-records topic) with the headers
 * the dispatcher writes there ({@link InvalidRecordHeaders}, reason {@code UNDECODABLE_AVRO}), so
 * a view that misses an attempt or a failure says where and why. Kafka Streams writes the copy with
 * the task's producer, in the same exactly-once transaction as the offsets that pass the record.
 *
 * <p>A record too large to copy with the headers added is copied without its key and value (the
 * message says so; it stays readable at its source offset), so the copy can never stop the view.
 */
public final class UndecodableRecordHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(UndecodableRecordHandler.class);
  /** Largest key plus value copied whole: Kafka's default message limit (1 MiB) less room for the headers. */
  static final int MAX_COPIED_BYTES = 1_000_000;

  private String invalidTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    invalidTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (causedBy(exception, SchemaRegistryException.class)) {
      // The schema registry did not answer: the record is fine, the view cannot read it now. It is
      // not skipped; the view's thread fails (health says so) and reads it again when replaced.
      LOG.error("Record {}-{}@{} not read by the query views: {}", record.topic(), record.partition(),
          record.offset(), exception.getMessage());
      return Response.fail();
    }
    String reason = causedBy(exception, UnknownSchemaIdException.class)
        ? InvalidEventException.Reason.UNKNOWN_SCHEMA_ID.name() : InvalidEventException.Reason.UNDECODABLE_AVRO.name();
    String message = String.valueOf(exception.getMessage());
    LOG.warn("Undecodable record {}-{}@{} skipped by the query views{}: {}", record.topic(), record.partition(),
        record.offset(), invalidTopic == null ? "" : " and copied to " + invalidTopic, message);
    if (invalidTopic == null) {
      return Response.resume();
    }
    byte[] key = record.key();
    byte[] value = record.value();
    long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    if (size > MAX_COPIED_BYTES) {
      message = "key and value (" + size + " bytes) too large to copy, read them at the source offset; " + message;
      key = null;
      value = null;
    }
    RecordHeaders headers = new RecordHeaders();
    InvalidRecordHeaders.of(reason, message, record.topic(),
        record.partition(), record.offset()).forEach(headers::add);
    return Response.resume(List.of(new ProducerRecord<>(invalidTopic, null, key, value, headers)));
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
