package io.hookline.queryapi.http.hostile;

import static io.hookline.queryapi.http.hostile.HostileValues.pick;

import io.hookline.queryapi.http.hostile.ApiDescription.Kind;
import io.hookline.queryapi.http.hostile.ApiDescription.Operation;
import io.hookline.queryapi.http.hostile.ApiDescription.Parameter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Good values for parameters and bodies, by name, pointing at what exists ({@link Fixtures}): a
 * request made only of these is answered 2xx (or 404 for a deleted webhook), so each mutation is
 * the one thing wrong with it and the handler runs as deep as the damage allows.
 */
final class ValidValues {

  static final String GRAPHQL_QUERY = "query($limit: Int, $cursor: String, $filters:"
      + " UndeliveredNotificationsFiltersInput!, $portal: String) { undeliveredNotifications(limit: $limit,"
      + " cursor: $cursor, filters: $filters, portal: $portal) { totalCount cursor elements { notification {"
      + " eventType creationDateTime notificationId payload webhookId } error { code message reason } } } }";

  private final Fixtures fixtures;

  ValidValues(Fixtures fixtures) {
    this.fixtures = fixtures;
  }

  String path(String name, String method, SplittableRandom random) {
    return switch (name) {
      case "screenname" -> fixtures.portal();
      case "id" -> method.equals("DELETE") ? pick(random, fixtures.disposable()) : pick(random, fixtures.webhooks());
      case "execution_id", "executionId" -> pick(random, fixtures.executions());
      default -> "x";
    };
  }

  /** A good value of query parameter {@code p}, or null when a good request leaves it out. */
  String query(Operation operation, Parameter p, SplittableRandom random) {
    long now = fixtures.now();
    if (operation.path().startsWith("/internal/")) {
      // The peer protocol: what one instance writes when it forwards a question.
      return switch (p.name()) {
        case "from_time" -> Long.toString(now - 3_600_000);
        case "to_time" -> Long.toString(now);
        case "limit" -> "10";
        case "start" -> "offset:0";
        case "interval" -> "1h";
        case "status" -> "ERROR";
        case "order" -> "-created_at";
        case "events", "execution_id" -> "";
        default -> "x";
      };
    }
    String hourAgo = Instant.ofEpochMilli(now - 3_600_000).toString();
    return switch (p.name()) {
      case "from_time", "start_date" -> pick(random, List.of(Long.toString(now - 3_600_000), hourAgo));
      case "to_time", "till_time", "end_date" -> pick(random, List.of(Long.toString(now), Instant.ofEpochMilli(now)
          .toString()));
      case "events" -> pick(random, List.of("conversation.created", "conversation.operator.replied,chat.ended"));
      case "status" -> pick(random, List.of("ERROR", "SENT,TIMEOUT"));
      case "order" -> pick(random, List.of("created_at", "-created_at"));
      case "interval" -> pick(random, List.of("1m", "5m", "1h"));
      case "range" -> pick(random, List.of("1h", "6h", "24h", "7d"));
      case "limit" -> Long.toString(p.minimum() == null ? 10 : random.nextLong(p.minimum(),
          (p.maximum() == null ? p.minimum() + 10 : p.maximum()) + 1));
      case "pageno", "page" -> "1";
      case "offset" -> "0";
      case "cursor", "attempts_cursor" -> null;
      default -> p.example() == null ? "x" : p.example();
    };
  }

  /** The fields of a good body, as raw JSON values or form values; null when the body is not made of fields. */
  Map<String, String> body(Operation operation, SplittableRandom random) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (operation.kind() == Kind.GRAPHQL) {
      fields.put("query", HostileValues.jsonString(GRAPHQL_QUERY));
      fields.put("variables", "{\"limit\":" + random.nextInt(1, 11) + ",\"filters\":{\"eventType\":"
          + "\"conversation.operator.replied\"},\"portal\":\"" + fixtures.portal() + "\"}");
      return fields;
    }
    boolean form = operation.body().mediaType().equals("application/x-www-form-urlencoded");
    List<String> names = new ArrayList<>(operation.body().fields().keySet());
    if (names.isEmpty()) {
      return null;
    }
    // A change names at least one field: the first one kept, the others each with even odds.
    boolean patch = operation.method().equals("PATCH");
    String kept = pick(random, names);
    for (String name : names) {
      if (patch && !name.equals(kept) && random.nextBoolean() || name.equals("secret") && random.nextInt(4) != 0) {
        continue;
      }
      fields.put(name, form ? formValue(name) : jsonValue(name, operation.body().fields().get(name), random));
    }
    return fields;
  }

  private String formValue(String name) {
    return switch (name) {
      case "token" -> fixtures.goodToken().substring("Bearer ".length());
      case "enabled" -> "true";
      case "events" -> "conversation.created";
      default -> "";
    };
  }

  private static String jsonValue(String name, String type, SplittableRandom random) {
    return switch (name) {
      case "url" -> "\"https://example.com/fuzz/" + random.nextInt(1000) + "\"";
      case "events" -> "[\"conversation.created\"]";
      case "secret" -> "\"whsec_" + Base64.getEncoder().encodeToString(HostileValues.randomBytes(random, 32)) + "\"";
      default -> switch (type) {
        case "boolean" -> "true";
        case "array" -> "[]";
        case "number", "integer" -> "1";
        case "object" -> "{}";
        default -> "\"x\"";
      };
    };
  }
}
