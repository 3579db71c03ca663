package io.hookline.queryapi.webhooks.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.http.MalformedBodyException;
import io.hookline.queryapi.webhooks.NewWebhook;
import io.hookline.queryapi.webhooks.domain.Ordering;
import io.hookline.queryapi.webhooks.domain.WebhookChanges;
import io.hookline.queryapi.webhooks.domain.WebhookRules;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads webhook request bodies from their JSON text, checking only the JSON shape: an object, known
 * fields, each of the right JSON type. What the values must be (a valid URL, a non-empty list of
 * events, a well-formed secret) is the service's concern. Every error names the offending field, or
 * says why the body is not a JSON object at all; duplicate fields are rejected rather than letting
 * the last one win silently.
 */
final class WebhookRequestReader {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final List<String> CREATE_FIELDS =
      List.of("url", "events", "secret", "enabled", "rate_limit", "headers", "ordering");
  private static final List<String> PATCH_FIELDS =
      List.of("url", "events", "enabled", "rate_limit", "headers", "ordering");

  private WebhookRequestReader() {}

  static NewWebhook readNew(String body) {
    ObjectNode json = object(body);
    checkFields(json, CREATE_FIELDS, "");
    return new NewWebhook(
        text(json, "url").orElse(null),
        texts(json, "events").orElse(null),
        text(json, "secret"),
        bool(json, "enabled"),
        rateLimit(json).map(WebhookChanges.RateLimit::perSecond).orElse(null),
        textMap(json, "headers").orElse(Map.of()),
        ordering(json).orElse(Ordering.NONE));
  }

  static WebhookChanges readChanges(String body) {
    ObjectNode json = object(body);
    checkFields(json, PATCH_FIELDS, "; rotate the secret with POST .../secret/rotate");
    return new WebhookChanges(text(json, "url"), texts(json, "events"), bool(json, "enabled"), rateLimit(json),
        textMap(json, "headers"), ordering(json));
  }

  /** {@code ordering}: absent (empty), null (unordered) or a string {@link WebhookRules#ordering} accepts. */
  private static Optional<Ordering> ordering(ObjectNode json) {
    JsonNode node = json.get("ordering");
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isNull() && !node.isTextual()) {
      throw new InvalidFieldException("ordering", WebhookRules.ORDERING_RULE + ", not " + describe(node));
    }
    return Optional.of(WebhookRules.ordering(node.isNull() ? null : node.textValue()));
  }

  /** {@code rate_limit}: absent (empty), null (no limit) or a whole number that fits an int. */
  private static Optional<WebhookChanges.RateLimit> rateLimit(ObjectNode json) {
    JsonNode node = json.get("rate_limit");
    if (node == null) {
      return Optional.empty();
    }
    if (node.isNull()) {
      return Optional.of(new WebhookChanges.RateLimit(null));
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new InvalidFieldException("rate_limit",
          "'rate_limit' must be a whole number of deliveries per second, or null, not " + describe(node));
    }
    return Optional.of(new WebhookChanges.RateLimit(node.intValue()));
  }

  private static ObjectNode object(String body) {
    if (body == null || body.isBlank()) {
      throw new MalformedBodyException("The request body must be a JSON object, but it is empty");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // Limits (nesting depth, number length) report no location.
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new MalformedBodyException("The request body is not valid JSON: " + e.getOriginalMessage() + where);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new MalformedBodyException("The request body must be a JSON object, not " + describe(node));
    }
    return object;
  }

  private static void checkFields(ObjectNode json, List<String> known, String secretHint) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String message = name.equals("secret") && !known.contains("secret")
            ? "'secret' cannot be changed here" + secretHint
            : "'" + name + "' is not a known field; expected " + quoted(known);
        throw new InvalidFieldException(name, message);
      }
    }
  }

  private static Optional<String> text(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new InvalidFieldException(field, "'" + field + "' must be a string, not " + describe(node));
    }
    return Optional.of(node.textValue());
  }

  private static Optional<List<String>> texts(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isArray()) {
      throw new InvalidFieldException(field, "'" + field + "' must be an array of strings, not " + describe(node));
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new InvalidFieldException(
            field, "'" + field + "[" + i + "]' must be a string, not " + describe(item));
      }
      values.add(item.textValue());
    }
    return Optional.of(values);
  }

  /** An object whose values are all strings, in the order given; {@code {}} (or null on a change) for none. */
  private static Optional<Map<String, String>> textMap(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (node.isNull()) {
      return Optional.of(Map.of());
    }
    if (!node.isObject()) {
      throw new InvalidFieldException(field, "'" + field + "' must be an object of strings, not " + describe(node));
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new InvalidFieldException(field, "'" + field + "." + e.getKey() + "' must be a string, not "
            + describe(e.getValue()));
      }
      values.put(e.getKey(), e.getValue().textValue());
    }
    return Optional.of(values);
  }

  private static Optional<Boolean> bool(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw new InvalidFieldException(field, "'" + field + "' must be true or false, not " + describe(node));
    }
    return Optional.of(node.booleanValue());
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case STRING -> "a string";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String quoted(List<String> fields) {
    return String.join(", ", fields.stream().map(f -> "'" + f + "'").toList());
  }
}
