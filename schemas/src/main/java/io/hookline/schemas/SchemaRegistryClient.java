package io.hookline.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.Schema;

/**
 * A client of the schema registry REST API that Confluent Schema Registry, Redpanda, Karapace and
 * Apicurio ({@code /apis/ccompat/v7}) all serve: registers a record's schema under a subject,
 * sets the subject's compatibility, and looks schemas up by id. Maven Central has no client for this
 * API (Confluent's is in Confluent's own repository; Apicurio's serde speaks only Apicurio's API), so
 * this is a small one on {@code java.net.http} and Jackson.
 *
 * <p>Answers are cached for the life of the client (an id names one schema forever, and a schema
 * registered under a subject keeps its id), so a running service calls the registry once per topic
 * and once per writer schema it reads. A registry that does not answer, or answers 5xx or 429, is
 * asked again with backoff until {@link Settings#timeout()} has passed; then the call fails with a
 * {@link SchemaRegistryException} naming the registry and the last problem. A schema id the
 * registry does not know fails at once with an {@link UnknownSchemaIdException}. Every failure and
 * success is counted ({@link #failures()}, {@link #lastFailure()}) for health and metrics.
 * Thread-safe.
 */
public final class SchemaRegistryClient {

  /** The compatibility Hookline sets on the subjects it registers: a new schema reads the old data. */
  public static final String COMPATIBILITY = "BACKWARD";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(10);

  /**
   * Where the registry is and how to sign in.
   *
   * @param url the API's base URL (for Apicurio: {@code http://host:8080/apis/ccompat/v7})
   * @param username basic-auth user, or null
   * @param password basic-auth password, or null
   * @param bearerToken a bearer token, or null (used when no user is given)
   * @param timeout how long one call may keep asking a registry that does not answer
   */
  public record Settings(String url, String username, String password, String bearerToken, Duration timeout) {
    public Settings {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(timeout, "timeout");
      url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
      return "Settings[url=" + url + ", username=" + username + ", password=" + (password == null ? "unset" : "***")
          + ", bearerToken=" + (bearerToken == null ? "unset" : "***") + ", timeout=" + timeout + "]";
    }
  }

  private final Settings settings;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Set<String> compatibilitySet = ConcurrentHashMap.newKeySet();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<String> lastFailure = new AtomicReference<>();

  public SchemaRegistryClient(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    if (settings.username() != null && !settings.username().isBlank()) {
      String pair = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
      this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    } else if (settings.bearerToken() != null && !settings.bearerToken().isBlank()) {
      this.authorization = "Bearer " + settings.bearerToken();
    } else {
      this.authorization = null;
    }
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The id of {@code schema} under {@code subject}, registering it (and setting the subject's
   * compatibility to {@value #COMPATIBILITY}) the first time.
   */
  public int register(String subject, Schema schema) {
    String text = schema.toString();
    Integer known = idsBySubjectAndSchema.get(subject + "\n" + text);
    if (known != null) {
      return known;
    }
    JsonNode answer = call("POST", "/subjects/" + path(subject) + "/versions",
        JSON.createObjectNode().put("schemaType", "AVRO").put("schema", registrationText(text)));
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException("The schema registry at " + settings.url() + " registered " + subject
          + " without an id: " + answer);
    }
    if (compatibilitySet.add(subject)) {
      setCompatibility(subject, COMPATIBILITY);
    }
    schemasById.putIfAbsent(id, schema);
    idsBySubjectAndSchema.put(subject + "\n" + text, id);
    return id;
  }

  /**
   * The schema text as sent to the registry: the same schema, with the string {@code "{}"} (the
   * default of {@code payload}) written with JSON escapes. Apicurio Registry 3.0 refuses a schema
   * holding that literal ("Failed to discover artifact type from content", 422); every JSON parser,
   * Avro's included, reads both spellings as the same string, so other registries see the same
   * schema either way.
   */
  static String registrationText(String schema) {
    return schema.replace("\"{}\"", "\"\\u007b\\u007d\"");
  }

  /** Sets the compatibility level of {@code subject} ({@code BACKWARD}, {@code FULL}, ...). */
  public void setCompatibility(String subject, String level) {
    call("PUT", "/config/" + path(subject), JSON.createObjectNode().put("compatibility", level));
  }

  /** The compatibility level of {@code subject}, as the registry answers it. */
  public String compatibility(String subject) {
    JsonNode answer = call("GET", "/config/" + path(subject), null);
    return answer.has("compatibilityLevel") ? answer.get("compatibilityLevel").asText()
        : answer.path("compatibility").asText();
  }

  /** The schema with this id. */
  public Schema schema(int id) {
    Schema known = schemasById.get(id);
    if (known != null) {
      return known;
    }
    JsonNode answer = call("GET", "/schemas/ids/" + id, null);
    Schema schema;
    try {
      schema = new Schema.Parser().parse(answer.path("schema").asText());
    } catch (RuntimeException e) {
      throw new SchemaRegistryException("The schema registry at " + settings.url() + " answered schema id " + id
          + " with a schema that does not parse: " + e.getMessage(), e);
    }
    Schema earlier = schemasById.putIfAbsent(id, schema);
    return earlier != null ? earlier : schema;
  }

  /** Calls that failed (after their retries), since the start. */
  public long failures() {
    return failures.get();
  }

  /** What the last failed call said, or null while the last call succeeded. */
  public String lastFailure() {
    return lastFailure.get();
  }

  private JsonNode call(String method, String path, JsonNode body) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    Duration backoff = FIRST_BACKOFF;
    String problem;
    while (true) {
      long left = deadline - System.nanoTime();
      Duration requestTime = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(100),
          Math.min(left, MAX_REQUEST_TIME.toNanos())));
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
          .timeout(requestTime)
          .header("Accept", CONTENT_TYPE + ", application/json");
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(body.toString()));
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          lastFailure.set(null);
          return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        }
        problem = method + " " + path + " answered " + status + " " + response.body();
        if (status == 404 && path.startsWith("/schemas/ids/")) {
          // An id this registry never gave out: asking again will not help.
          throw new UnknownSchemaIdException(Integer.parseInt(path.substring("/schemas/ids/".length())),
              settings.url(), response.body());
        }
        if (status != 429 && status / 100 != 5) {
          throw failed(problem, null);
        }
      } catch (IOException e) {
        problem = method + " " + path + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed(method + " " + path + " interrupted", e);
      }
      if (System.nanoTime() + backoff.toNanos() > deadline) {
        throw failed(problem + " (asked for " + settings.timeout().toMillis() + " ms)", null);
      }
      // Backoff between attempts at a registry that is down or busy; bounded by the timeout above.
      LockSupport.parkNanos(backoff.toNanos());
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  private SchemaRegistryException failed(String problem, Throwable cause) {
    failures.incrementAndGet();
    String message = "Schema registry at " + settings.url() + ": " + problem;
    lastFailure.set(message);
    return new SchemaRegistryException(message, cause);
  }

  private static String path(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
