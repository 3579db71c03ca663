package io.hookline.dispatcher.adapter.in.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.application.DeliveryService;
import io.hookline.dispatcher.application.EventValidation;
import io.hookline.dispatcher.application.InvalidRecord;
import io.hookline.dispatcher.application.PendingRecord;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidEventException;
import io.hookline.schemas.ParkedHeaders;
import io.hookline.schemas.SchemaRegistryClient;
import io.hookline.schemas.Topic;
import io.hookline.schemas.UnknownSchemaIdException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;

/**
 * Turns an input record into its dispatch: an event (JSON, single-object Avro or registry-framed
 * Avro, checked against its type's schema once it passed the gate) or a retry request's
 * redelivery. A record that cannot be decoded is rejected to the invalid topic with its reason
 * and gives no dispatch. Used by {@link InputConsumer} on its poll thread.
 */
final class InputDecoding {

  private final Topic<String, RetryRequest> redeliveries;
  /** Null without a registry: then registry-framed events are refused as today's undecodable input. */
  private final SchemaRegistryClient schemaRegistry;
  private final DeliveryService delivery;
  private volatile EventValidation validation = EventValidation.NONE;

  InputDecoding(HooklineTopics topics, DeliveryService delivery) {
    this.redeliveries = topics.redeliveries();
    this.schemaRegistry = topics.schemaRegistry();
    this.delivery = delivery;
  }

  /** Checks every event against its type's schema from now on. */
  void validating(EventValidation validation) {
    this.validation = validation;
  }

  /** The event's dispatch, or null once rejected as undecodable. */
  Runnable event(ConsumerRecord<byte[], byte[]> r, PendingRecord pending) {
    io.hookline.avro.Event event;
    try {
      event = EventCodec.decode(r.value(), new EventCodec.Origin(r.topic(), r.partition(), r.offset(), r.timestamp()),
          schemaRegistry);
    } catch (InvalidEventException e) {
      delivery.reject(invalid(r, e.reason().name(), e.getMessage()), pending);
      return null;
    }
    return () -> {
      io.hookline.dispatcher.domain.Event decoded = InputRecords.event(event);
      String violations = validation.violations(decoded);
      if (violations != null) {
        delivery.reject(invalid(r, EventValidation.REASON, "event type '" + decoded.name() + "': " + violations), pending);
        return;
      }
      delivery.dispatch(decoded, r.key(), pending);
    };
  }

  /** The retry request's redelivery, or null once rejected as undecodable. */
  Runnable redelivery(ConsumerRecord<byte[], byte[]> r, PendingRecord pending) {
    if (r.value() == null || r.value().length == 0) {
      delivery.reject(invalid(r, InvalidEventException.Reason.EMPTY_RECORD.name(), "retry request has no value"), pending);
      return null;
    }
    RetryRequest request;
    try {
      request = redeliveries.valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (UnknownSchemaIdException e) {
      delivery.reject(invalid(r, InvalidEventException.Reason.UNKNOWN_SCHEMA_ID.name(), e.getMessage()), pending);
      return null;
    } catch (KafkaException e) {
      delivery.reject(invalid(r, InvalidEventException.Reason.UNDECODABLE_AVRO.name(), e.getMessage()), pending);
      return null;
    }
    Header parked = r.headers().lastHeader(ParkedHeaders.PARKED);
    String parkedAs = parked == null ? null : parked.value() == null ? "" : new String(parked.value(), UTF_8);
    // The retry-scheduler may hand a retry over a little before it is due: it starts at its due time.
    return () -> delivery.redeliverWhenDue(InputRecords.execution(request), request.getDueAt(), parkedAs, pending);
  }

  static InvalidRecord invalid(ConsumerRecord<byte[], byte[]> r, String reason, String message) {
    return new InvalidRecord(r.key(), r.value(), r.topic(), r.partition(), r.offset(), reason, message);
  }
}
