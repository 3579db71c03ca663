package io.hookline.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hookline.avro.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads input events in either accepted form and writes the JSON form POSTed to subscribers.
 *
 * <ul>
 *   <li>Avro single-object encoding (recognised by its {@code C3 01} marker), schema {@link Event};
 *   <li>JSON, the form in SPEC.md: {@code portal} and {@code event} are required strings,
 *       {@code payload} is any JSON value (default {@code {}}), {@code entity_label} an object.
 * </ul>
 *
 * Missing {@code id} and {@code event_time} are filled in from the record: the id is a UUID derived
 * from the record's coordinates, so reprocessing the same record after a crash yields the same
 * event id (and so the same execution ids and {@code webhook-id} headers).
 *
 * <p>{@code payload} and {@code entity_label} are kept as JSON text that holds exactly one JSON
 * value (checked when decoded), so {@link #toJson} embeds them as they are instead of parsing them
 * again for every delivery: a JSON event is parsed once on its way through the dispatcher.
 */
public final class EventCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** One JSON value and nothing after it: text that can be embedded as a value as it is. */
  private static final ObjectReader ONE_VALUE = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final AvroSerde<Event> AVRO = AvroSerde.of(Event.class);
  private static final int MAX_NAME_LENGTH = 255;

  private EventCodec() {}

  /** Where a record came from, used for defaults. */
  public record Origin(String topic, int partition, long offset, long timestamp) {
    UUID derivedId() {
      return NameBasedUuid.of(topic + "/" + partition + "/" + offset);
    }
  }

  public static Event decode(byte[] value, Origin origin) throws InvalidEventException {
    if (value == null || value.length == 0) {
      throw new InvalidEventException(InvalidEventException.Reason.EMPTY_RECORD, "record has no value");
    }
    boolean avro = isAvro(value);
    Event event = avro ? decodeAvro(value) : decodeJson(value);
    validate(event);
    if (avro) {
      // The text fields of an Avro event may hold anything; those of a JSON event come from its parsed tree.
      requireJson("payload", event.getPayload());
      if (event.getEntityLabel() != null) {
        requireJson("entity_label", event.getEntityLabel());
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

  private static Event decodeJson(byte[] value) throws InvalidEventException {
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (IOException e) {
      throw new InvalidEventException(
          InvalidEventException.Reason.MALFORMED_JSON, "not JSON and not Avro: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(InvalidEventException.Reason.NOT_A_JSON_OBJECT, "the event must be a JSON object");
    }
    Event e = new Event();
    e.setId(text(root, "id", false));
    e.setPortal(text(root, "portal", true));
    e.setAppId(text(root, "app_id", false));
    e.setEvent(text(root, "event", true));
    e.setEntity(text(root, "entity", false));
    e.setEntityId(text(root, "entity_id", false));
    JsonNode label = root.get("entity_label");
    if (label != null && !label.isNull()) {
      if (!label.isObject()) {
        throw invalid("entity_label", "must be a JSON object");
      }
      e.setEntityLabel(label.toString());
    }
    JsonNode time = root.get("event_time");
    if (time != null && !time.isNull()) {
      if (time.canConvertToLong() && time.isIntegralNumber()) {
        e.setEventTime(time.longValue());
      } else if (time.isTextual() && time.asText().matches("\\d{1,19}")) {
        e.setEventTime(Long.parseLong(time.asText()));
      } else {
        throw invalid("event_time", "must be epoch milliseconds");
      }
    }
    JsonNode payload = root.get("payload");
    e.setPayload(payload == null || payload.isMissingNode() ? "{}" : payload.toString());
    return e;
  }

  private static String text(JsonNode root, String field, boolean required) throws InvalidEventException {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD, "required field '" + field + "' is missing");
      }
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isIntegralNumber()) {
      return n.asText();
    }
    throw invalid(field, "must be a string");
  }

  private static void validate(Event e) throws InvalidEventException {
    if (e.getPortal() == null || e.getPortal().isBlank()) {
      throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD, "required field 'portal' is missing");
    }
    if (e.getEvent() == null || e.getEvent().isBlank()) {
      throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD, "required field 'event' is missing");
    }
    if (e.getPortal().length() > MAX_NAME_LENGTH) {
      throw invalid("portal", "is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (e.getEvent().length() > MAX_NAME_LENGTH) {
      throw invalid("event", "is longer than " + MAX_NAME_LENGTH + " characters");
    }
  }

  /** {@code text} must be exactly one JSON value, so that it can be embedded in a body as it is. */
  private static void requireJson(String field, String text) throws InvalidEventException {
    JsonNode value;
    try {
      value = text == null ? null : ONE_VALUE.readTree(text);
    } catch (JsonProcessingException ex) {
      throw invalid(field, "is not valid JSON text");
    }
    if (value == null || value.isMissingNode()) {
      throw invalid(field, "is not valid JSON text");
    }
  }

  private static InvalidEventException invalid(String field, String problem) {
    return new InvalidEventException(InvalidEventException.Reason.INVALID_FIELD, "field '" + field + "' " + problem);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
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
