package io.hookline.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hookline.avro.Event;
import io.hookline.schemas.InvalidEventException.Reason;
import java.io.IOException;

/**
 * The JSON form of an input event, read strictly: types are checked, never coerced, so an event
 * that a producer got wrong goes to the invalid topic instead of being delivered as something else.
 *
 * <ul>
 *   <li>{@code id}, {@code portal}, {@code app_id}, {@code event}, {@code entity}, {@code entity_id}:
 *       a JSON string or {@code null} (a number is refused: {@code 19367000000002043} is not exact
 *       in every producer's language, and {@code "event":5} is a mistake, not event {@code "5"});
 *   <li>{@code entity_label}: a JSON object or {@code null}; {@code event_time}: an integer number of
 *       epoch milliseconds, not negative, or {@code null}; {@code payload}: any JSON value;
 *   <li>the whole value: exactly one JSON object in UTF-8, nothing after it, no name twice in any
 *       object (parsers disagree on which duplicate wins, and the payload is re-written from the
 *       parsed tree, so a duplicate would silently lose one of the values), nested at most
 *       {@value #MAX_DEPTH} deep (refused while parsing, without recursion: a record nested 100,000
 *       deep fails at once); other fields are ignored.
 * </ul>
 *
 * What the text of the name fields may hold is checked for both forms by {@link EventCodec}.
 */
final class StrictEventJson {

  /** Deepest nesting of objects and arrays accepted, payload included (receivers' parsers have limits too). */
  static final int MAX_DEPTH = 100;

  private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxDocumentLength(EventCodec.MAX_EVENT_BYTES)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictEventJson() {}

  static Event read(byte[] value) throws InvalidEventException {
    JsonNode root = parse(value);
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(Reason.NOT_A_JSON_OBJECT, "the event must be a JSON object");
    }
    Event e = new Event();
    e.setId(text(root, "id"));
    e.setPortal(text(root, "portal"));
    e.setAppId(text(root, "app_id"));
    e.setEvent(text(root, "event"));
    e.setEntity(text(root, "entity"));
    e.setEntityId(text(root, "entity_id"));
    JsonNode label = root.get("entity_label");
    if (label != null && !label.isNull()) {
      if (!label.isObject()) {
        throw EventCodec.invalid("entity_label", "must be a JSON object, was " + typeOf(label));
      }
      e.setEntityLabel(label.toString());
    }
    JsonNode time = root.get("event_time");
    if (time != null && !time.isNull()) {
      if (!time.isIntegralNumber() || !time.canConvertToLong() || time.longValue() < 0) {
        throw EventCodec.invalid("event_time", "must be epoch milliseconds (an integer, not negative), was "
            + (time.isNumber() ? time.asText() : typeOf(time)));
      }
      e.setEventTime(time.longValue());
    }
    JsonNode payload = root.get("payload");
    e.setPayload(payload == null ? "{}" : payload.toString());
    return e;
  }

  private static JsonNode parse(byte[] value) throws InvalidEventException {
    try {
      return READER.readTree(value);
    } catch (StreamConstraintsException ex) {
      throw new InvalidEventException(Reason.LIMIT_EXCEEDED, "the JSON exceeds a limit: " + describe(ex), ex);
    } catch (JsonProcessingException ex) {
      String problem = describe(ex);
      if (ex.getOriginalMessage() != null && ex.getOriginalMessage().startsWith("Duplicate field")) {
        throw new InvalidEventException(Reason.DUPLICATE_FIELD, problem, ex);
      }
      throw new InvalidEventException(Reason.MALFORMED_JSON, "not JSON and not Avro: " + problem, ex);
    } catch (IOException ex) {
      throw new InvalidEventException(Reason.MALFORMED_JSON, "not JSON and not Avro: " + ex.getMessage(), ex);
    }
  }

  /**
   * The JSON text of a field of an Avro event, held to the same rules: exactly one JSON value (so
   * it can be embedded in a body as it is), no duplicate names, at most {@value #MAX_DEPTH} deep.
   */
  static JsonNode requireOneValue(String field, String text) throws InvalidEventException {
    JsonNode value;
    try {
      value = text == null ? null : READER.readTree(text);
    } catch (JsonProcessingException ex) {
      throw EventCodec.invalid(field, "is not valid JSON text: " + describe(ex));
    }
    if (value == null || value.isMissingNode()) {
      throw EventCodec.invalid(field, "is not valid JSON text: it holds no JSON value");
    }
    return value;
  }

  /** A JSON string, or null when absent or JSON null; any other type is refused, never converted. */
  private static String text(JsonNode root, String field) throws InvalidEventException {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw EventCodec.invalid(field, "must be a string, was " + typeOf(n));
    }
    return n.textValue();
  }

  private static String typeOf(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Jackson's problem and where, without its source excerpt. */
  private static String describe(JsonProcessingException ex) {
    String message = ex.getOriginalMessage();
    if (message == null) {
      message = ex.getClass().getSimpleName();
    }
    int nl = message.indexOf('\n');
    if (nl >= 0) {
      message = message.substring(0, nl);
    }
    JsonLocation at = ex.getLocation();
    return at == null ? message : message + " (at byte " + at.getByteOffset() + ")";
  }
}
