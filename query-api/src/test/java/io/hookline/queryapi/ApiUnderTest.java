package io.hookline.queryapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.schemas.AvroSerde;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real query-api for the API tests of one test class, as a JUnit extension
 * ({@code @RegisterExtension static final ApiUnderTest api = ApiUnderTest.perClass();}): before all
 * tests a broker of its own and the Micronaut {@link EmbeddedServer} on an ephemeral port against
 * it, under a unique topic prefix, with the test tokens' security settings and a retention long
 * enough for the reference sample's 2019 dates; after them both stopped and the Kafka Streams state
 * folder deleted. Plus the calls those tests make of it (create a webhook, GET or POST with a token,
 * wait for a view to show a write) and producers writing to its topics as the dispatcher does.
 */
public final class ApiUnderTest implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  public static final ObjectMapper JSON = new ObjectMapper();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** How long a record written to a topic may take to show in a view. */
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
  private static final Pattern PORTAL_IN_PATH = Pattern.compile("^/api/v2/([^/?]+)");

  private final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private final Map<String, Object> settings;
  private final List<KafkaProducer<?, ?>> producers = new ArrayList<>();
  private final Map<Class<?>, KafkaProducer<String, ?>> writers = new ConcurrentHashMap<>();
  private String prefix;
  private Path stateDir;
  private EmbeddedServer server;
  private String sharedWebhookPath;

  private ApiUnderTest(Map<String, Object> settings) {
    this.settings = Map.copyOf(settings);
  }

  /** The API (and its broker) of one test class, with 3 partitions per topic. */
  public static ApiUnderTest perClass() {
    return perClass(Map.of());
  }

  /** The API of one test class as {@link #perClass()} starts it, with {@code settings} on top. */
  public static ApiUnderTest perClass(Map<String, Object> settings) {
    return new ApiUnderTest(settings);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka.beforeAll(context);
    prefix = KafkaBroker.uniquePrefix();
    stateDir = StateDirs.fresh();
    Map<String, Object> props = new HashMap<>(TestTokens.securityProperties());
    props.putAll(Map.of(
        "micronaut.server.port", -1,
        "hookline.kafka-bootstrap-servers", kafka.bootstrapServers(),
        "hookline.topic-prefix", prefix,
        "hookline.topic-partitions", 3,
        "hookline.state-dir", stateDir.toString(),
        // The reference sample dates from 2019; keep it inside the retention.
        "hookline.failed-retention", "36500d"));
    props.putAll(settings);
    server = ApplicationContext.run(EmbeddedServer.class, props);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      close();
    } finally {
      kafka.afterAll(context);
    }
  }

  /** The broker the API runs against. */
  public KafkaBrokerExtension kafka() {
    return kafka;
  }

  /** A portal nobody else uses. */
  public static String newPortal() {
    return "portal" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Asserts an error answer: its status, its {@code code}, and a message; returns the body. */
  public static JsonNode error(HttpResponse<String> r, int status, String code) throws IOException {
    assertThat(r.statusCode()).as("status of %s, body %s", r.uri(), r.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    return body;
  }

  /** Asserts a 400 naming {@code parameter} in its message. */
  public static void assertNamed(HttpResponse<String> r, String parameter) throws IOException {
    JsonNode body = error(r, 400, "INVALID_PARAMETER");
    assertThat(body.get("message").asText()).contains("'" + parameter + "'");
  }

  /** The names of {@code node}'s fields, in order. */
  public static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** Field {@code field} of every item of a list's {@code data}, as text, in order. */
  public static List<String> values(JsonNode list, String field) {
    List<String> values = new ArrayList<>();
    list.get("data").forEach(item -> values.add(item.get(field).asText()));
    return values;
  }

  public EmbeddedServer server() {
    return server;
  }

  /** The full name of one of the API's topics, e.g. {@code topic("dead-letter")}. */
  public String topic(String name) {
    return prefix + name;
  }

  /** A producer writing {@code type} records keyed by string (acks=all), closed with the API. */
  public <V extends SpecificRecord> KafkaProducer<String, V> producer(Class<V> type) {
    Map<String, Object> props = new HashMap<>(kafka.broker().clientProps());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    KafkaProducer<String, V> producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(type).serializer());
    producers.add(producer);
    return producer;
  }

  /** Writes {@code value} to topic {@code name} (see {@link #topic}) keyed by {@code key}, once acknowledged. */
  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> void write(String name, String key, V value) throws Exception {
    KafkaProducer<String, V> producer = (KafkaProducer<String, V>) writers.computeIfAbsent(value.getClass(),
        type -> producer((Class<V>) type));
    producer.send(new ProducerRecord<>(topic(name), key, value)).get(10, TimeUnit.SECONDS);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  /** Creates a webhook of {@code portal} (to https://example.com/hook) and returns its id. */
  public String createWebhook(String portal) throws IOException, InterruptedException {
    HttpResponse<String> r = post("/api/v2/" + portal + "/webhooks", TestTokens.forPortal(portal),
        "{\"url\":\"https://example.com/hook\",\"events\":[\"conversation.created\"]}");
    assertThat(r.statusCode()).as("create: %s", r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  /**
   * {@code /api/v2/{portal}/webhooks/{id}} of a webhook of a portal of its own, created on first use,
   * for tests that only need some webhook to exist (refused parameters).
   */
  public synchronized String sharedWebhookPath() throws IOException, InterruptedException {
    if (sharedWebhookPath == null) {
      String portal = newPortal();
      sharedWebhookPath = "/api/v2/" + portal + "/webhooks/" + createWebhook(portal);
    }
    return sharedWebhookPath;
  }

  /** GET {@code path}, with the bearer token unless it is null. */
  public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return send(request(path, token).GET());
  }

  /** GET {@code path} with a READ token for the portal the path names ({@code /api/v2/{portal}/...}). */
  public HttpResponse<String> getAsReader(String path) throws IOException, InterruptedException {
    Matcher portal = PORTAL_IN_PATH.matcher(path);
    assertThat(portal.find()).as("a portal in %s", path).isTrue();
    return get(path, TestTokens.withScope(portal.group(1), "webhooks.READ"));
  }

  /**
   * Asserts who may read a webhook's {@code list} ({@code .../webhooks/{id}/<list>}): for another
   * portal's webhook and for an unknown id a 404 WEBHOOK_NOT_FOUND, for another portal's token and
   * for a token without webhooks.READ a 403, without a token a 401.
   */
  public void assertOnlyItsPortalsReadersSee(String list) throws IOException, InterruptedException {
    String portal = newPortal();
    String other = newPortal();
    String foreign = createWebhook(other);

    error(getAsReader("/api/v2/" + portal + "/webhooks/" + foreign + "/" + list), 404, "WEBHOOK_NOT_FOUND");
    error(getAsReader("/api/v2/" + portal + "/webhooks/123456789/" + list), 404, "WEBHOOK_NOT_FOUND");
    String path = "/api/v2/" + other + "/webhooks/" + foreign + "/" + list;
    assertThat(get(path, TestTokens.forPortal(portal)).statusCode()).isEqualTo(403);
    assertThat(get(path, TestTokens.withScope(other, "webhooks.CREATE webhooks.UPDATE")).statusCode())
        .as("needs webhooks.READ").isEqualTo(403);
    assertThat(get(path, null).statusCode()).isEqualTo(401);
  }

  /** The JSON of {@code GET path} as a reader, which must answer 200. */
  public JsonNode readJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = getAsReader(path);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /**
   * Waits until {@code GET path} as a reader answers JSON that is {@code done}: the views are
   * eventually consistent with their topics. A 503 (with Retry-After) while they start means "not yet".
   */
  public JsonNode awaitJson(String path, String what, Predicate<JsonNode> done) {
    return await(what + " at " + path)
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          HttpResponse<String> r = getAsReader(path);
          if (r.statusCode() == 503) {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            return null;
          }
          assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
          return JSON.readTree(r.body());
        }, page -> page != null && done.test(page));
  }

  /** POST {@code path} with a JSON body (none when null), with the bearer token unless it is null. */
  public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path, token);
    if (json == null) {
      b.POST(BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").POST(BodyPublishers.ofString(json));
    }
    return send(b);
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  @Override
  public void close() {
    producers.forEach(KafkaProducer::close);
    if (server != null) {
      server.getApplicationContext().close();
    }
    if (stateDir != null) {
      StateDirs.delete(stateDir);
    }
  }
}
