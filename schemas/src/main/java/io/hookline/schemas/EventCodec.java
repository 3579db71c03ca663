package io.hookline.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads input events in either accepted form and writes the JSON form POSTed to subscribers.
 *
 * <ul>
 *   <li>Avro single-object encoding (recognised by its {@code C3 01} marker), schema {@link Event};
 *   <li>with a schema registry, Avro in the registry wire format (a {@code 00} byte and the writer
 *       schema's id), any schema that resolves into {@link Event};
 *   <li>JSON, the form in SPEC.md: {@code portal} and {@code event} are required strings,
 *       {@code payload} is any JSON value (default {@code {}}), {@code entity_label} an object.
 * </ul>
 *
 * Both are held to one contract: JSON is read strictly ({@link StrictEventJson}: types checked,
 * never coerced), and both forms' names, sizes and JSON text are checked here. A record that is not
 * a usable event fails with an {@link InvalidEventException} naming the reason, never with anything
 * else, and without allocating more than the record's size suggests ({@link AvroLimits}).
 *
 * <p>Missing {@code id} and {@code event_time} are filled in from the record: the id is a UUID derived
 * from the record's coordinates, so reprocessing the same record after a crash yields the same
 * event id (and so the same execution ids and {@code webhook-id} headers).
 *
 * <p>{@code payload} and {@code entity_label} are kept as JSON text that holds exactly one JSON
 * value (checked when decoded), so {@link #toJson} embeds them as they are instead of parsing them
 * again for every delivery: a JSON event is parsed once on its way through the dispatcher.
 */
public final class EventCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AvroSerde<Event> AVRO = AvroSerde.of(Event.class);
  /** Readers of registry-framed events, one per registry (in practice one per process). */
  private static final Map<SchemaRegistryClient, AvroSerde<Event>> REGISTRY_EVENTS = new ConcurrentHashMap<>();
  /**
   * Largest event accepted, in bytes, as received and as decoded (payload and label as UTF-8): Kafka's
   * default message limit is 1 MiB (1,048,576 bytes), and the records made from an event (retry
   * requests, dead letters, the invalid copy) carry it whole plus a few hundred bytes, so they must
   * still fit.
   */
  public static final int MAX_EVENT_BYTES = 1_000_000;
  /** Longest {@code id}, {@code portal} and {@code event}, in characters. */
  static final int MAX_NAME_LENGTH = 255;
  /** Longest {@code app_id}, {@code entity} and {@code entity_id}, in characters. */
  static final int MAX_REFERENCE_LENGTH = 1024;

  private EventCodec() {}

  /** Where a record came from, used for defaults. */
  public record Origin(String topic, int partition, long offset, long timestamp) {
    UUID derivedId() {
      return NameBasedUuid.of(topic + "/" + partition + "/" + offset);
    }
  }

  public static Event decode(byte[] value, Origin origin) throws InvalidEventException {
    return decode(value, origin, null);
  }

  /**
   * Like {@link #decode(byte[], Origin)}, and with a schema registry ({@code registry}, or null for
   * none) also the registry wire format (a zero byte, then the writer schema's id): the writer's
   * {@code Event} schema is looked up by id and resolved into the current one, so producers on an
   * older or newer compatible schema are read. An id the registry does not know is an invalid event
   * ({@code UNKNOWN_SCHEMA_ID}); a registry that does not answer is a {@link SchemaRegistryException}.
   */
  public static Event decode(byte[] value, Origin origin, SchemaRegistryClient registry) throws InvalidEventException {
    if (registry != null && value != null && value.length > 0 && value[0] == AvroSerde.REGISTRY_MAGIC
        && value.length <= MAX_EVENT_BYTES) {
      return checked(decodeFramed(value, registry), true, origin);
    }
    if (value == null || value.length == 0) {
      throw new InvalidEventException(InvalidEventException.Reason.EMPTY_RECORD, "record has no value");
    }
    if (value.length > MAX_EVENT_BYTES) {
      throw new InvalidEventException(InvalidEventException.Reason.LIMIT_EXCEEDED,
          "the record is " + value.length + " bytes, more than the " + MAX_EVENT_BYTES + " an event may have");
    }
    boolean avro = isAvro(value);
    return checked(avro ? decodeAvro(value) : StrictEventJson.read(value), avro, origin);
  }

  private static Event checked(Event event, boolean avro, Origin origin) throws InvalidEventException {
    validate(event);
    if (avro) {
      // The text fields of an Avro event may hold anything; those of a JSON event come from its parsed tree.
      StrictEventJson.requireOneValue("payload", event.getPayload());
      if (event.getEntityLabel() != null && !StrictEventJson.requireOneValue("entity_label", event.getEntityLabel()).isObject()) {
        throw invalid("entity_label", "must be a JSON object");
      }
    }
    if (event.getId() == null || event.getId().isBlank()) {
      event.setId(origin.derivedId().toString());
    }
    if (event.getEventTime() == null) {
      event.setEventTime(origin.timestamp());
    }
    return event;
  }

  static boolean isAvro(byte[] value) {
    return value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == (byte) 0x01;
  }

  private static Event decodeAvro(byte[] value) throws InvalidEventException {
    try {
      return AVRO.decode(value);
    } catch (SerializationException e) {
      throw new InvalidEventException(InvalidEventException.Reason.UNDECODABLE_AVRO, e.getMessage(), e);
    }
  }

  private static Event decodeFramed(byte[] value, SchemaRegistryClient registry) throws InvalidEventException {
    try {
      return REGISTRY_EVENTS.computeIfAbsent(registry,
          r -> AvroSerde.withRegistry(Event.class, r, "events-value")).decode(value);
    } catch (UnknownSchemaIdException e) {
      throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_SCHEMA_ID, e.getMessage(), e);
    } catch (SerializationException e) {
      throw new InvalidEventException(InvalidEventException.Reason.UNDECODABLE_AVRO, e.getMessage(), e);
    }
  }

  private static void validate(Event e) throws InvalidEventException {
    if (e.getPortal() == null || e.getPortal().isBlank()) {
      throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD, "required field 'portal' is missing");
    }
    if (e.getEvent() == null || e.getEvent().isBlank()) {
      throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD, "required field 'event' is missing");
    }
    requireName("id", e.getId(), MAX_NAME_LENGTH);
    requireName("portal", e.getPortal(), MAX_NAME_LENGTH);
    requireName("event", e.getEvent(), MAX_NAME_LENGTH);
    requireName("app_id", e.getAppId(), MAX_REFERENCE_LENGTH);
    requireName("entity", e.getEntity(), MAX_REFERENCE_LENGTH);
    requireName("entity_id", e.getEntityId(), MAX_REFERENCE_LENGTH);
    long size = utf8Length("payload", e.getPayload()) + utf8Length("entity_label", e.getEntityLabel());
    if (size > MAX_EVENT_BYTES) {
      throw new InvalidEventException(InvalidEventException.Reason.LIMIT_EXCEEDED, "payload and entity_label are "
          + size + " bytes as UTF-8, more than the " + MAX_EVENT_BYTES + " an event may have");
    }
    if (e.getEventTime() != null && e.getEventTime() < 0) {
      throw invalid("event_time", "must be epoch milliseconds (not negative), was " + e.getEventTime());
    }
  }

  /**
   * A name or reference is printable text: no control characters (NUL included), no U+FFFD (what
   * invalid UTF-8 in an Avro string decodes to) and no unpaired surrogate, at most {@code max} long.
   */
  private static void requireName(String field, String text, int max) throws InvalidEventException {
    if (text == null) {
      return;
    }
    if (text.length() > max) {
      throw invalid(field, "is longer than " + max + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        throw invalid(field, String.format("contains the control character U+%04X at %d", (int) c, i));
      }
      if (c == '\uFFFD') {
        throw invalid(field, "contains U+FFFD (invalid UTF-8 replaced) at " + i);
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw invalid(field, "contains an unpaired surrogate at " + i);
        }
        i++;
      }
    }
  }

  /**
   * The UTF-8 length of a JSON text field, which must not hold an unpaired surrogate (it has no
   * UTF-8 form: the body could not be written). 0 for null.
   */
  private static long utf8Length(String field, String text) throws InvalidEventException {
    if (text == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (!Character.isSurrogate(c)) {
        bytes += 3;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        throw invalid(field, "contains an unpaired surrogate at " + i);
      }
    }
    return bytes;
  }

  static InvalidEventException invalid(String field, String problem) {
    return new InvalidEventException(InvalidEventException.Reason.INVALID_FIELD, "field '" + field + "' " + problem);
  }

  /**
   * The JSON form of an event, as POSTed to subscribers: the SPEC fields, JSON values embedded.
   * The event must come from {@link #decode} (directly or inside a retry request), which checked
   * that its JSON text fields hold one JSON value each.
   */
  public static byte[] toJson(Event e) {
    return toJson(e.getId(), e.getPortal(), e.getAppId(), e.getEvent(), e.getEntity(), e.getEntityId(),
        e.getEntityLabel(), e.getEventTime(), e.getPayload());
  }

  /**
   * The same JSON form from the event's fields, for services that keep events in types of their
   * own: {@code entityLabel} (or null) and {@code payload} must be JSON text checked by {@link
   * #decode}; {@code appId}, {@code entity}, {@code entityId} and {@code eventTime} may be null.
   */
  public static byte[] toJson(String id, String portal, String appId, String event, String entity,
      String entityId, String entityLabel, Long eventTime, String payload) {
    ByteArrayBuilder out = new ByteArrayBuilder(256 + payload.length());
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("portal", portal);
      if (appId != null) {
        g.writeStringField("app_id", appId);
      }
      g.writeStringField("event", event);
      if (entity != null) {
        g.writeStringField("entity", entity);
      }
      if (entityId != null) {
        g.writeStringField("entity_id", entityId);
      }
      if (entityLabel != null) {
        g.writeFieldName("entity_label");
        g.writeRawValue(entityLabel);
      }
      if (eventTime != null) {
        g.writeNumberField("event_time", eventTime);
      }
      g.writeFieldName("payload");
      g.writeRawValue(payload);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  /** Avro single-object encoding of an event, as a producer using the schemas jar would write it. */
  public static byte[] toAvro(Event e) {
    return AVRO.encode(e);
  }
}
