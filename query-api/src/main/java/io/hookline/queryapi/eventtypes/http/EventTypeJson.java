package io.hookline.queryapi.eventtypes.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.queryapi.eventtypes.domain.EventType;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The JSON shapes of the event type endpoints, like the webhooks': snake_case, times as epoch
 * milliseconds in strings, lists as {@code {"url", "object": "list", "data"}}; the schema as the
 * JSON it was given (a JSON tree, typed {@code Object} so the OpenAPI document shows an object, not
 * Jackson's node classes).
 */
final class EventTypeJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventTypeJson() {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Item(
      String name,
      @Schema(nullable = true) String description,
      @Schema(nullable = true, type = "object", description = "The JSON Schema (draft 2020-12) every event of the type"
          + " must match (its payload); null when events of the type are not validated")
          Object schema,
      @JsonProperty("created_time") String createdTime,
      @JsonProperty("modified_time") String modifiedTime,
      String portal) {

    static Item of(EventType t) {
      return new Item(t.name(), t.description(), parsed(t.schema()), Long.toString(t.createdAt().toEpochMilli()),
          Long.toString(t.modifiedAt().toEpochMilli()), t.portal());
    }
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ItemList(String url, String object, List<Item> data) {

    static ItemList of(String url, List<EventType> types) {
      return new ItemList(url, "list", types.stream().map(Item::of).toList());
    }
  }

  private static JsonNode parsed(String schema) {
    if (schema == null) {
      return null;
    }
    try {
      return JSON.readTree(schema);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored schema is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
