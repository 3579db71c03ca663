package io.hookline.queryapi.eventtypes.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.http.MalformedBodyException;
import java.util.Iterator;
import java.util.List;

/**
 * Reads event type request bodies, checking the JSON shape only (an object, known fields, strings
 * where strings belong, the schema an object or a boolean); whether the schema is a valid JSON
 * Schema is the rules' concern. Every error names its field.
 */
final class EventTypeRequestReader {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** What a request gave: the name (null on a replacement, which takes it from the path), a description, a schema as JSON text. */
  record Fields(String name, String description, String schema) {}

  private EventTypeRequestReader() {}

  static Fields readNew(String body) {
    ObjectNode json = object(body);
    checkFields(json, List.of("name", "description", "schema"));
    return new Fields(text(json, "name"), text(json, "description"), schema(json));
  }

  static Fields readReplacement(String body) {
    ObjectNode json = object(body);
    checkFields(json, List.of("description", "schema"));
    return new Fields(null, text(json, "description"), schema(json));
  }

  private static ObjectNode object(String body) {
    if (body == null || body.isBlank()) {
      throw new MalformedBodyException("The request body must be a JSON object, but it is empty");
    }
    try {
      if (JSON.readTree(body) instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      throw new MalformedBodyException("The request body is not valid JSON: " + e.getOriginalMessage());
    }
    throw new MalformedBodyException("The request body must be a JSON object");
  }

  private static void checkFields(ObjectNode json, List<String> known) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new InvalidFieldException(name, "'" + name + "' is not a known field; expected one of " + known);
      }
    }
  }

  private static String text(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidFieldException(field, "'" + field + "' must be a string");
    }
    return node.textValue();
  }

  private static String schema(ObjectNode json) {
    JsonNode node = json.get("schema");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject() && !node.isBoolean()) {
      throw new InvalidFieldException("schema", "'schema' must be a JSON Schema: an object (or true / false)");
    }
    return node.toString();
  }
}
