package io.hookline.queryapi.http.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.queryapi.http.hostile.ApiDescription.Kind;
import io.hookline.queryapi.http.hostile.HostileRequests.HostileRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What every answer to a hostile request must be: never a 5xx, never slower than
 * {@link #SLOWEST}; from the JSON API every 4xx is the error shape {@code {"code","message"}} with a
 * message, and a 400 names what the request damaged (a parameter, a header, a body field, or the
 * body as a whole); GraphQL never reports an internal error. The console's pages are HTML, so only
 * the first two rules apply to them.
 */
final class AnswerRules {

  static final Duration SLOWEST = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerRules() {}

  /** Why {@code response} breaks a rule, or empty when it keeps them all. */
  static Optional<String> broken(HostileRequest request, RawHttp.Response response) {
    int status = response.status();
    if (status >= 500) {
      return Optional.of("answered " + status + ": " + excerpt(response.text()));
    }
    if (response.nanos() > SLOWEST.toNanos()) {
      return Optional.of("answered after " + Duration.ofNanos(response.nanos()).toMillis() + " ms");
    }
    Kind kind = request.operation().kind();
    if (kind == Kind.CONSOLE) {
      return Optional.empty();
    }
    if (status >= 400 && !request.head()) {
      return errorShape(request, response);
    }
    if (kind == Kind.GRAPHQL && status == 200 && response.text().contains("INTERNAL_ERROR")) {
      return Optional.of("GraphQL reported an internal error: " + excerpt(response.text()));
    }
    return Optional.empty();
  }

  private static Optional<String> errorShape(HostileRequest request, RawHttp.Response response) {
    String type = response.header("content-type");
    if (type == null || !type.startsWith("application/json")) {
      return Optional.of(response.status() + " with Content-Type " + type + ", not JSON: " + excerpt(response.text()));
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return Optional.of(response.status() + " with a body that is not JSON: " + excerpt(response.text()));
    }
    if (body == null || !body.path("code").isTextual() || body.path("code").asText().isBlank()
        || !body.path("message").isTextual() || body.path("message").asText().isBlank()) {
      return Optional.of(response.status() + " without the error shape {code, message}: " + excerpt(response.text()));
    }
    if (response.status() != 400 || request.blamed().isEmpty()) {
      return Optional.empty();
    }
    String message = body.get("message").asText().toLowerCase(Locale.ROOT);
    boolean named = request.blamed().stream().flatMap(blame -> java.util.Arrays.stream(blame.split("\\|")))
        .anyMatch(name -> message.contains(name.toLowerCase(Locale.ROOT))
            || name.equals(HostileRequests.BODY) && (message.contains("json") || message.contains("body")));
    return named ? Optional.empty()
        : Optional.of("400 names none of " + request.blamed() + ": " + excerpt(response.text()));
  }

  static String excerpt(String text) {
    String flat = text.replace("\n", "\\n").replace("\r", "\\r");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
