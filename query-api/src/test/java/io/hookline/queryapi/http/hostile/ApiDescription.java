package io.hookline.queryapi.http.hostile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The routes of the served OpenAPI document, as far as a request generator needs them: method,
 * path template, parameters (path, query, header) with their declared type and bounds, and the
 * request body's media type and fields. Nothing is listed by hand: a new route or parameter in the
 * document is fuzzed without a change to the test.
 */
record ApiDescription(List<Operation> operations) {

  /** Who answers a route: the JSON API (its error shape is checked), the console (HTML) or GraphQL. */
  enum Kind { API, CONSOLE, GRAPHQL }

  record Parameter(String name, String in, boolean required, String type, Long minimum, Long maximum,
      String example) {}

  /** A request body: its media type and its top-level fields with their JSON types (may be empty). */
  record Body(String mediaType, Map<String, String> fields) {}

  record Operation(Kind kind, String method, String path, List<Parameter> parameters, Body body) {

    String route() {
      return method + " " + path;
    }
  }

  @SuppressWarnings("unchecked")
  static ApiDescription parse(String yaml) {
    Map<String, Object> document = new Yaml().load(yaml);
    Map<String, Object> paths = (Map<String, Object>) document.get("paths");
    List<Operation> operations = new ArrayList<>();
    paths.forEach((path, methods) -> ((Map<String, Object>) methods).forEach((method, spec) -> {
      Map<String, Object> operation = (Map<String, Object>) spec;
      List<Parameter> parameters = new ArrayList<>();
      for (Map<String, Object> p : (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of())) {
        Map<String, Object> schema = (Map<String, Object>) p.getOrDefault("schema", Map.of());
        parameters.add(new Parameter((String) p.get("name"), (String) p.get("in"),
            Boolean.TRUE.equals(p.get("required")), (String) schema.get("type"), number(schema.get("minimum")),
            number(schema.get("maximum")), p.get("example") == null ? null : p.get("example").toString()));
      }
      operations.add(new Operation(Kind.API, method.toUpperCase(java.util.Locale.ROOT), path, parameters,
          body((Map<String, Object>) operation.get("requestBody"))));
    }));
    return new ApiDescription(operations);
  }

  /** The description with {@code more} operations (routes the document does not describe) added. */
  ApiDescription with(List<Operation> more) {
    List<Operation> all = new ArrayList<>(operations);
    all.addAll(more);
    return new ApiDescription(List.copyOf(all));
  }

  @SuppressWarnings("unchecked")
  private static Body body(Map<String, Object> requestBody) {
    if (requestBody == null) {
      return null;
    }
    Map<String, Object> content = (Map<String, Object>) requestBody.get("content");
    Map.Entry<String, Object> first = content.entrySet().iterator().next();
    Map<String, Object> media = (Map<String, Object>) first.getValue();
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Object> schema = (Map<String, Object>) media.getOrDefault("schema", Map.of());
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    if (properties != null) {
      properties.forEach((name, property) ->
          fields.put(name, String.valueOf(((Map<String, Object>) property).get("type"))));
    }
    Map<String, Object> examples = (Map<String, Object>) media.get("examples");
    if (examples != null) {
      for (Object example : examples.values()) {
        Object value = ((Map<String, Object>) example).get("value");
        if (value instanceof Map<?, ?> object) {
          object.forEach((name, v) -> fields.putIfAbsent((String) name, jsonType(v)));
        }
      }
    }
    return new Body(first.getKey(), fields);
  }

  private static String jsonType(Object value) {
    if (value instanceof List<?>) {
      return "array";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Number) {
      return "number";
    }
    return value instanceof Map<?, ?> ? "object" : "string";
  }

  private static Long number(Object value) {
    return value == null ? null : Long.valueOf(value.toString());
  }
}
