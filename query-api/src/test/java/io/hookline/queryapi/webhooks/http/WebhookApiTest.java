package io.hookline.queryapi.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookline.avro.Webhook;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.SubscriptionMarkerHeaders;
import io.hookline.testing.IntegrationTest;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The webhook endpoints as a client sees them: the real application on a random port, a real broker,
 * a real HTTP client, and the raw records on the compacted topic.
 */
@IntegrationTest
class WebhookApiTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass(Map.of("hookline.secret-grace", "2h"));

  private static final Duration GRACE = Duration.ofHours(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static EmbeddedServer server;
  private static String webhooksTopic;

  @BeforeAll
  static void startApi() {
    server = api.server();
    webhooksTopic = api.topic("webhooks");
  }

  // --- subscription markers --------------------------------------------------------------------

  @Test
  void aChangeIsAnsweredOnlyOnceEveryEventsPartitionCarriesAMarkerWrittenAfterIt() throws Exception {
    String portal = portal();
    Map<String, Long> before = markersPerPartition();

    HttpResponse<String> created = send("POST", "/api/v2/" + portal + "/webhooks",
        "{\"url\":\"https://example.com/marked\",\"events\":[\"order.created\"]}");

    assertThat(created.statusCode()).isEqualTo(201);
    Map<String, Long> afterWebhook = markersPerPartition();
    assertThat(afterWebhook.keySet()).as("every partition of the events topic").hasSize(partitions("events"));
    afterWebhook.forEach((partition, markers) ->
        assertThat(markers).as("markers on %s", partition).isGreaterThan(before.getOrDefault(partition, 0L)));

    HttpResponse<String> type = send("POST", "/api/v2/" + portal + "/event-types", "{\"name\":\"order.created\"}");

    assertThat(type.statusCode()).isEqualTo(201);
    markersPerPartition().forEach((partition, markers) ->
        assertThat(markers).as("markers on %s after the event type", partition).isGreaterThan(afterWebhook.get(partition)));
  }

  /** Subscription markers (the header, no value) on each partition of the events topic. */
  private static Map<String, Long> markersPerPartition() {
    Map<String, Long> out = new HashMap<>();
    String topic = api.topic("events");
    for (int p = 0; p < partitions("events"); p++) {
      out.put(topic + "-" + p, 0L);
    }
    records(topic).stream().filter(r -> SubscriptionMarkerHeaders.marks(r.headers()) && r.value() == null)
        .forEach(r -> out.merge(r.topic() + "-" + r.partition(), 1L, Long::sum));
    return out;
  }

  private static int partitions(String name) {
    Map<String, Object> props = api.kafka().broker().clientProps();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.partitionsFor(api.topic(name)).size();
    }
  }

  // --- create, read, secret --------------------------------------------------------------------

  @Test
  void createAnswers201WithTheSecretAndStoresTheWebhookOnTheCompactedTopic() throws Exception {
    String portal = portal();
    HttpResponse<String> created = send("POST", "/api/v2/" + portal + "/webhooks",
        "{\"url\":\"https://example.com/hook\",\"events\":[\"conversation.created\",\"chat.ended\"]}");

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = JSON.readTree(created.body());
    String id = body.get("id").asText();
    assertThat(id).matches("[1-9][0-9]*");
    assertThat(Long.parseLong(id)).isPositive();
    assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/api/v2/" + portal + "/webhooks/" + id));
    assertThat(body.get("url").asText()).isEqualTo("https://example.com/hook");
    assertThat(texts(body.get("events"))).containsExactly("conversation.created", "chat.ended");
    assertThat(body.get("enabled").asBoolean()).isTrue();
    assertThat(body.get("portal").asText()).isEqualTo(portal);
    assertThat(body.get("created_time").isTextual()).isTrue();
    long createdTime = Long.parseLong(body.get("created_time").asText());
    assertThat(createdTime).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    assertThat(body.get("modified_time").asText()).isEqualTo(body.get("created_time").asText());
    String secret = body.get("secret").asText();
    assertThat(secret).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);

    Map<String, byte[]> records = topicContents();
    assertThat(records).containsKey(id);
    Webhook stored = AvroSerde.of(Webhook.class).decode(records.get(id));
    assertThat(stored.getId()).isEqualTo(id);
    assertThat(stored.getPortal()).isEqualTo(portal);
    assertThat(stored.getUrl()).isEqualTo("https://example.com/hook");
    assertThat(stored.getEvents()).containsExactly("conversation.created", "chat.ended");
    assertThat(stored.getEnabled()).isTrue();
    assertThat(stored.getCreatedAt()).isEqualTo(createdTime);
    assertThat(stored.getSecrets()).hasSize(1);
    assertThat(stored.getSecrets().get(0).getSecret()).startsWith("enc:v1:");
    assertThat(plain(stored, 0)).isEqualTo(secret);
    assertThat(stored.getSecrets().get(0).getExpiresAt()).isNull();
    assertThat(new String(records.get(id), java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("the raw record never holds the secret in clear")
        .doesNotContain(secret)
        .doesNotContain(secret.substring("whsec_".length()))
        .doesNotContain("whsec_");
  }

  @Test
  void getAndListNeverShowTheSecretButTheSecretEndpointDoes() throws Exception {
    String portal = portal();
    JsonNode created = create(portal, "https://example.com/a", false);
    String id = created.get("id").asText();

    JsonNode got = json(send("GET", "/api/v2/" + portal + "/webhooks/" + id, null), 200);
    assertThat(got.has("secret")).isFalse();
    assertThat(got.get("id").asText()).isEqualTo(id);
    assertThat(got.get("enabled").asBoolean()).isFalse();
    assertThat(got.get("created_time").asText()).isEqualTo(created.get("created_time").asText());

    JsonNode list = json(send("GET", "/api/v2/" + portal + "/webhooks", null), 200);
    assertThat(list.get("data")).hasSize(1);
    assertThat(list.get("data").get(0).has("secret")).isFalse();
    assertThat(list.toString()).doesNotContain("whsec_");

    JsonNode secret = json(send("GET", "/api/v2/" + portal + "/webhooks/" + id + "/secret", null), 200);
    assertThat(secret.get("secret").asText()).isEqualTo(created.get("secret").asText());
  }

  @Test
  void aSecretGivenOnCreateIsTheOneThatSigns() throws Exception {
    String portal = portal();
    String given = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
    JsonNode created = json(send("POST", "/api/v2/" + portal + "/webhooks",
        "{\"url\":\"http://example.com/x\",\"events\":[\"a\"],\"secret\":\"" + given + "\",\"enabled\":true}"), 201);
    assertThat(created.get("secret").asText()).isEqualTo(given);
    JsonNode secret = json(send("GET", "/api/v2/" + portal + "/webhooks/" + created.get("id").asText() + "/secret",
        null), 200);
    assertThat(secret.get("secret").asText()).isEqualTo(given);
  }

  @Test
  void listShowsOnlyThePortalsWebhooksOldestFirstInTheZohoListShape() throws Exception {
    String portal = portal();
    String other = portal();
    String first = create(portal, "https://example.com/1", true).get("id").asText();
    String foreign = create(other, "https://example.com/other", true).get("id").asText();
    String second = create(portal, "https://example.com/2", true).get("id").asText();

    JsonNode list = json(send("GET", "/api/v2/" + portal + "/webhooks?pageno=1", null), 200);
    assertThat(list.get("url").asText()).isEqualTo("/api/v2/" + portal + "/webhooks?pageno=1");
    assertThat(list.get("object").asText()).isEqualTo("list");
    List<String> ids = new ArrayList<>();
    list.get("data").forEach(w -> ids.add(w.get("id").asText()));
    assertThat(ids).containsExactly(first, second).doesNotContain(foreign);
    list.get("data").forEach(w -> assertThat(w.get("portal").asText()).isEqualTo(portal));

    JsonNode empty = json(send("GET", "/api/v2/" + portal() + "/webhooks", null), 200);
    assertThat(empty.get("data").isArray()).isTrue();
    assertThat(empty.get("data")).isEmpty();
  }

  @Test
  void anotherPortalsWebhookAndAnUnknownIdAreNotFound() throws Exception {
    String owner = portal();
    String id = create(owner, "https://example.com/mine", true).get("id").asText();
    String intruder = portal();
    String base = "/api/v2/" + intruder + "/webhooks/";

    for (HttpResponse<String> r : List.of(
        send("GET", base + id, null),
        send("GET", base + id + "/secret", null),
        send("PATCH", base + id, "{\"enabled\":false}"),
        send("POST", base + id + "/secret/rotate", null),
        send("DELETE", base + id, null),
        send("GET", "/api/v2/" + owner + "/webhooks/12345", null))) {
      assertError(r, 404, "WEBHOOK_NOT_FOUND");
    }
    // The owner's webhook is untouched by the other portal's attempts.
    JsonNode got = json(send("GET", "/api/v2/" + owner + "/webhooks/" + id, null), 200);
    assertThat(got.get("enabled").asBoolean()).isTrue();
  }

  // --- read-your-writes, tombstones ------------------------------------------------------------

  @Test
  void everyWriteIsVisibleToTheVeryNextRead() throws Exception {
    String portal = portal();
    String base = "/api/v2/" + portal + "/webhooks/";
    for (int i = 0; i < 5; i++) {
      String id = create(portal, "https://example.com/ryw" + i, true).get("id").asText();
      assertThat(send("GET", base + id, null).statusCode()).isEqualTo(200);

      JsonNode patched = json(send("PATCH", base + id,
          "{\"url\":\"https://example.org/changed" + i + "\",\"events\":[\"x\",\"y\"],\"enabled\":false}"), 200);
      assertThat(patched.get("url").asText()).isEqualTo("https://example.org/changed" + i);
      JsonNode got = json(send("GET", base + id, null), 200);
      assertThat(got.get("url").asText()).isEqualTo("https://example.org/changed" + i);
      assertThat(texts(got.get("events"))).containsExactly("x", "y");
      assertThat(got.get("enabled").asBoolean()).isFalse();
      assertThat(Long.parseLong(got.get("modified_time").asText()))
          .isGreaterThanOrEqualTo(Long.parseLong(got.get("created_time").asText()));

      HttpResponse<String> deleted = send("DELETE", base + id, null);
      assertThat(deleted.statusCode()).isEqualTo(204);
      assertError(send("GET", base + id, null), 404, "WEBHOOK_NOT_FOUND");
      assertThat(json(send("GET", "/api/v2/" + portal + "/webhooks", null), 200).get("data")).isEmpty();
    }
  }

  @Test
  void patchChangesOnlyTheGivenFields() throws Exception {
    String portal = portal();
    JsonNode created = create(portal, "https://example.com/keep", true);
    String id = created.get("id").asText();
    JsonNode patched = json(send("PATCH", "/api/v2/" + portal + "/webhooks/" + id, "{\"enabled\":false}"), 200);
    assertThat(patched.get("url").asText()).isEqualTo("https://example.com/keep");
    assertThat(texts(patched.get("events"))).containsExactly("conversation.created");
    assertThat(patched.get("enabled").asBoolean()).isFalse();
    assertThat(patched.has("secret")).isFalse();
    JsonNode secret = json(send("GET", "/api/v2/" + portal + "/webhooks/" + id + "/secret", null), 200);
    assertThat(secret.get("secret").asText()).isEqualTo(created.get("secret").asText());
  }

  @Test
  void orderingIsKeyOrNullStoredShownAndChangedOneRevisionAtATime() throws Exception {
    String portal = portal();
    String base = "/api/v2/" + portal + "/webhooks";
    HttpResponse<String> created = send("POST", base,
        "{\"url\":\"https://example.com/ordered\",\"events\":[\"order.*\"],\"ordering\":\"key\"}");
    String id = json(created, 201).get("id").asText();
    assertThat(JSON.readTree(created.body()).get("ordering").asText()).isEqualTo("key");
    HttpResponse<String> got = send("GET", base + "/" + id, null);
    assertThat(json(got, 200).get("ordering").asText()).isEqualTo("key");
    assertThat(got.headers().firstValue("ETag")).hasValue("\"1\"");
    assertThat(AvroSerde.of(Webhook.class).decode(topicContents().get(id)).getOrdering()).isEqualTo("key");

    JsonNode other = json(send("PATCH", base + "/" + id, "{\"enabled\":false}"), 200);
    assertThat(other.get("ordering").asText()).as("a change of another field keeps it").isEqualTo("key");
    HttpResponse<String> unordered = send("PATCH", base + "/" + id, "{\"ordering\":null}");
    JsonNode unorderedBody = json(unordered, 200);
    assertThat(unorderedBody.has("ordering")).isTrue();
    assertThat(unorderedBody.get("ordering").isNull()).as("null, written out, when unordered").isTrue();
    assertThat(unordered.headers().firstValue("ETag")).hasValue("\"3\"");
    assertThat(AvroSerde.of(Webhook.class).decode(topicContents().get(id)).getOrdering()).isNull();

    JsonNode plain = create(portal, "https://example.com/plain", true);
    assertThat(plain.get("ordering").isNull()).as("absent on create: unordered").isTrue();
    String plainId = plain.get("id").asText();
    JsonNode ordered = json(send("PATCH", base + "/" + plainId, "{\"ordering\":\"key\"}"), 200);
    assertThat(ordered.get("ordering").asText()).isEqualTo("key");
    assertThat(json(send("GET", base, null), 200).get("data")).extracting(w -> w.get("ordering").asText())
        .as("the list shows it too").containsExactly("null", "key");
  }

  @Test
  void deleteWritesATombstoneForTheWebhookId() throws Exception {
    String portal = portal();
    String id = create(portal, "https://example.com/gone", true).get("id").asText();
    assertThat(send("DELETE", "/api/v2/" + portal + "/webhooks/" + id, null).statusCode()).isEqualTo(204);

    Map<String, byte[]> records = topicContents();
    assertThat(records).containsKey(id);
    assertThat(records.get(id)).as("latest record of the webhook is a tombstone").isNull();
    assertError(send("DELETE", "/api/v2/" + portal + "/webhooks/" + id, null), 404, "WEBHOOK_NOT_FOUND");
  }

  // --- rotation --------------------------------------------------------------------------------

  @Test
  void rotationMakesANewSecretCurrentAndKeepsThePreviousOneForTheGracePeriod() throws Exception {
    String portal = portal();
    JsonNode created = create(portal, "https://example.com/rotate", true);
    String id = created.get("id").asText();
    String previous = created.get("secret").asText();

    long before = System.currentTimeMillis();
    JsonNode rotated = json(send("POST", "/api/v2/" + portal + "/webhooks/" + id + "/secret/rotate", null), 200);
    long after = System.currentTimeMillis();

    String current = rotated.get("secret").asText();
    assertThat(current).startsWith("whsec_").isNotEqualTo(previous);
    long expires = Long.parseLong(rotated.get("previous_secret_expires_time").asText());
    assertThat(expires).isBetween(before + GRACE.toMillis(), after + GRACE.toMillis());

    JsonNode secret = json(send("GET", "/api/v2/" + portal + "/webhooks/" + id + "/secret", null), 200);
    assertThat(secret.get("secret").asText()).isEqualTo(current);

    Webhook stored = AvroSerde.of(Webhook.class).decode(topicContents().get(id));
    assertThat(stored.getSecrets()).hasSize(2);
    assertThat(plain(stored, 0)).isEqualTo(current);
    assertThat(stored.getSecrets().get(0).getExpiresAt()).isNull();
    assertThat(plain(stored, 1)).isEqualTo(previous);
    assertThat(stored.getSecrets().get(1).getExpiresAt()).isEqualTo(expires);

    // A second rotation keeps both older secrets while their grace periods run.
    JsonNode again = json(send("POST", "/api/v2/" + portal + "/webhooks/" + id + "/secret/rotate", null), 200);
    Webhook twice = AvroSerde.of(Webhook.class).decode(topicContents().get(id));
    assertThat(List.of(plain(twice, 0), plain(twice, 1), plain(twice, 2)))
        .containsExactly(again.get("secret").asText(), current, previous);
    assertThat(twice.getSecrets().get(2).getExpiresAt()).isEqualTo(expires);
  }

  @Test
  void concurrentChangesToOneWebhookAreNotLost() throws Exception {
    String portal = portal();
    JsonNode created = create(portal, "https://example.com/busy", true);
    String id = created.get("id").asText();
    String path = "/api/v2/" + portal + "/webhooks/" + id;
    int rounds = 6;
    List<java.util.concurrent.Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      calls.add(() -> send("POST", path + "/secret/rotate", null));
      calls.add(() -> send("PATCH", path, "{\"enabled\":false}"));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls.size());
    List<String> rotatedTo = new ArrayList<>();
    try {
      for (var f : pool.invokeAll(calls)) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        if (body.has("secret")) {
          rotatedTo.add(body.get("secret").asText());
        }
      }
    } finally {
      pool.shutdownNow();
    }

    Webhook stored = AvroSerde.of(Webhook.class).decode(topicContents().get(id));
    assertThat(stored.getEnabled()).isFalse();
    assertThat(stored.getSecrets()).extracting(s -> TestTokens.cipher().decrypt(s.getSecret(), id))
        .as("every rotation kept, none lost to a concurrent update")
        .hasSize(rounds + 1)
        .containsAll(rotatedTo)
        .contains(created.get("secret").asText());
    assertThat(stored.getSecrets()).filteredOn(s -> s.getExpiresAt() == null).hasSize(1);
  }

  // --- validation ------------------------------------------------------------------------------

  static Stream<Arguments> invalidCreates() {
    String ok = "\"url\":\"https://example.com/h\",\"events\":[\"a\"]";
    String longUrl = "https://example.com/" + "x".repeat(2049 - "https://example.com/".length());
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      tooMany.add("\"e" + i + "\"");
    }
    return Stream.of(
        Arguments.of("{\"url\":", "INVALID_JSON", "not valid JSON"),
        Arguments.of("", "INVALID_JSON", "JSON object"),
        Arguments.of("[1,2]", "INVALID_JSON", "JSON object"),
        Arguments.of("\"text\"", "INVALID_JSON", "JSON object"),
        Arguments.of("{" + ok + "} {}", "INVALID_JSON", "not valid JSON"),
        Arguments.of("{\"url\":\"https://a.example\",\"url\":\"https://b.example\",\"events\":[\"a\"]}",
            "INVALID_JSON", "'url'"),
        Arguments.of("{" + ok + ",\"colour\":\"red\"}", "INVALID_PARAMETER", "'colour'"),
        Arguments.of("{\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":null,\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":42,\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":\"/relative/path\",\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":\"ftp://example.com/x\",\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":\"https://\",\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":\"https://exa mple.com\",\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":\"" + longUrl + "\",\"events\":[\"a\"]}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":\"https://example.com/h\"}", "INVALID_PARAMETER", "'events'"),
        Arguments.of("{\"url\":\"https://example.com/h\",\"events\":[]}", "INVALID_PARAMETER", "'events'"),
        Arguments.of("{\"url\":\"https://example.com/h\",\"events\":\"a\"}", "INVALID_PARAMETER", "'events'"),
        Arguments.of("{\"url\":\"https://example.com/h\",\"events\":[\"a\",\" \"]}", "INVALID_PARAMETER",
            "'events[1]'"),
        Arguments.of("{\"url\":\"https://example.com/h\",\"events\":[7]}", "INVALID_PARAMETER", "'events[0]'"),
        Arguments.of("{\"url\":\"https://example.com/h\",\"events\":[" + String.join(",", tooMany) + "]}",
            "INVALID_PARAMETER", "'events'"),
        Arguments.of("{\"url\":\"https://example.com/h\",\"events\":[\"" + "e".repeat(256) + "\"]}",
            "INVALID_PARAMETER", "'events[0]'"),
        Arguments.of("{" + ok + ",\"secret\":\"plain\"}", "INVALID_PARAMETER", "'secret'"),
        Arguments.of("{" + ok + ",\"secret\":\"whsec_" + b64(23) + "\"}", "INVALID_PARAMETER", "'secret'"),
        Arguments.of("{" + ok + ",\"secret\":\"whsec_" + b64(65) + "\"}", "INVALID_PARAMETER", "'secret'"),
        Arguments.of("{" + ok + ",\"secret\":\"whsec_not*base64\"}", "INVALID_PARAMETER", "'secret'"),
        Arguments.of("{" + ok + ",\"secret\":12}", "INVALID_PARAMETER", "'secret'"),
        Arguments.of("{" + ok + ",\"enabled\":\"yes\"}", "INVALID_PARAMETER", "'enabled'"),
        Arguments.of("{" + ok + ",\"ordering\":\"fifo\"}", "INVALID_PARAMETER", "'ordering'"),
        Arguments.of("{" + ok + ",\"ordering\":\"KEY\"}", "INVALID_PARAMETER", "'ordering'"),
        Arguments.of("{" + ok + ",\"ordering\":\"none\"}", "INVALID_PARAMETER", "'ordering'"),
        Arguments.of("{" + ok + ",\"ordering\":true}", "INVALID_PARAMETER", "'ordering'"),
        Arguments.of("{" + ok + ",\"ordering\":[\"key\"]}", "INVALID_PARAMETER", "'ordering'"));
  }

  @ParameterizedTest
  @MethodSource("invalidCreates")
  void anInvalidCreateIs400NamingTheFieldAndWritesNothing(String body, String code, String named) throws Exception {
    String portal = portal();
    HttpResponse<String> r = send("POST", "/api/v2/" + portal + "/webhooks", body);
    JsonNode error = assertError(r, 400, code);
    assertThat(error.get("message").asText()).contains(named);
    assertThat(json(send("GET", "/api/v2/" + portal + "/webhooks", null), 200).get("data")).isEmpty();
  }

  static Stream<Arguments> invalidPatches() {
    return Stream.of(
        Arguments.of("{}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":", "INVALID_JSON", "not valid JSON"),
        Arguments.of("", "INVALID_JSON", "JSON object"),
        Arguments.of("[]", "INVALID_JSON", "JSON object"),
        Arguments.of("{\"url\":\"mailto:a@example.com\"}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"url\":null}", "INVALID_PARAMETER", "'url'"),
        Arguments.of("{\"events\":[]}", "INVALID_PARAMETER", "'events'"),
        Arguments.of("{\"events\":[\"\"]}", "INVALID_PARAMETER", "'events[0]'"),
        Arguments.of("{\"enabled\":1}", "INVALID_PARAMETER", "'enabled'"),
        Arguments.of("{\"secret\":\"whsec_" + b64(32) + "\"}", "INVALID_PARAMETER", "'secret'"),
        Arguments.of("{\"enabled\":true,\"portal\":\"other\"}", "INVALID_PARAMETER", "'portal'"),
        Arguments.of("{\"ordering\":\"\"}", "INVALID_PARAMETER", "'ordering'"),
        Arguments.of("{\"ordering\":1}", "INVALID_PARAMETER", "'ordering'"));
  }

  @ParameterizedTest
  @MethodSource("invalidPatches")
  void anInvalidPatchIs400NamingTheFieldAndChangesNothing(String body, String code, String named) throws Exception {
    String portal = portal();
    JsonNode created = create(portal, "https://example.com/stays", true);
    String path = "/api/v2/" + portal + "/webhooks/" + created.get("id").asText();
    JsonNode error = assertError(send("PATCH", path, body), 400, code);
    assertThat(error.get("message").asText()).contains(named);
    JsonNode got = json(send("GET", path, null), 200);
    assertThat(got.get("url").asText()).isEqualTo("https://example.com/stays");
    assertThat(got.get("modified_time").asText()).isEqualTo(created.get("modified_time").asText());
  }

  // --- framework errors are JSON too -----------------------------------------------------------

  @Test
  void unknownRouteWrongMethodAndWrongMediaTypeAnswerJsonErrors() throws Exception {
    JsonNode notFound = assertError(send("GET", "/api/v2/nowhere", null), 404, "NOT_FOUND");
    assertThat(notFound.get("message").asText()).contains("/api/v2/nowhere");

    assertError(send("PUT", "/api/v2/" + portal() + "/webhooks", "{}"), 405, "METHOD_NOT_ALLOWED");

    HttpRequest plain = HttpRequest.newBuilder(uri("/api/v2/" + portal() + "/webhooks"))
        .header("Content-Type", "text/plain")
        .POST(BodyPublishers.ofString("{\"url\":\"https://example.com\",\"events\":[\"a\"]}"))
        .build();
    assertError(HTTP.send(plain, BodyHandlers.ofString()), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  // --- limits ----------------------------------------------------------------------------------

  @Test
  void aBodyOver64KibIsRefusedWith413AndWritesNothing() throws Exception {
    String portal = portal();
    String padding = "x".repeat(64 * 1024);
    HttpResponse<String> r = send("POST", "/api/v2/" + portal + "/webhooks",
        "{\"url\":\"https://example.com/big\",\"events\":[\"a\"],\"pad\":\"" + padding + "\"}");
    JsonNode error = assertError(r, 413, "REQUEST_ENTITY_TOO_LARGE");
    assertThat(error.get("message").asText()).contains("65536");
    assertThat(json(send("GET", "/api/v2/" + portal + "/webhooks", null), 200).get("data")).isEmpty();
  }

  @Test
  void oversizedHeadersAreRefusedAndTheServerKeepsServing() throws Exception {
    String portal = portal();
    HttpRequest huge = HttpRequest.newBuilder(uri("/api/v2/" + portal + "/webhooks"))
        .header("Authorization", "Bearer " + TestTokens.forPortal(portal))
        .header("X-Padding", "p".repeat(32 * 1024))
        .timeout(Duration.ofSeconds(20))
        .build();
    HttpResponse<String> r = HTTP.send(huge, BodyHandlers.ofString());
    JsonNode error = assertError(r, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
    assertThat(error.get("message").asText()).contains("header");
    assertThat(json(send("GET", "/api/v2/" + portal + "/webhooks", null), 200).get("data")).isEmpty();
  }

  // --- health ----------------------------------------------------------------------------------

  @Test
  void healthIsUpWithTheBrokerAndTheLoadedWebhooks() throws Exception {
    HttpResponse<String> r = send("GET", "/health", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode health = JSON.readTree(r.body());
    assertThat(health.get("status").asText()).isEqualTo("UP");
    assertThat(health.at("/components/kafka/status").asText()).isEqualTo("UP");
    assertThat(health.at("/components/kafka/details/nodes").asInt()).isPositive();
    assertThat(health.at("/components/webhooks/status").asText()).isEqualTo("UP");
  }

  // --- helpers ---------------------------------------------------------------------------------

  // --- revisions: ETag, If-Match, 412 --------------------------------------------------------------

  @Test
  void everyAnswerCarriesTheRevisionAsAStrongETagAndIfMatchRefusesAStaleOneWith412() throws Exception {
    String portal = portal();
    HttpResponse<String> created = send("POST", "/api/v2/" + portal + "/webhooks",
        "{\"url\":\"https://example.com/hook\",\"events\":[\"conversation.created\"]}");
    String path = "/api/v2/" + portal + "/webhooks/" + json(created, 201).get("id").asText();
    assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
    assertThat(send("GET", path, null).headers().firstValue("ETag")).hasValue("\"1\"");

    HttpResponse<String> changed = sendIfMatch("PATCH", path, "{\"enabled\":false}", "\"1\"");
    assertThat(json(changed, 200).get("enabled").asBoolean()).isFalse();
    assertThat(changed.headers().firstValue("ETag")).hasValue("\"2\"");

    HttpResponse<String> stale = sendIfMatch("PATCH", path, "{\"enabled\":true}", "\"1\"");
    assertThat(assertError(stale, 412, "PRECONDITION_FAILED").get("message").asText()).contains("revision 2");
    assertThat(stale.headers().firstValue("ETag")).as("the current ETag").hasValue("\"2\"");
    assertError(sendIfMatch("POST", path + "/secret/rotate", "", "W/\"2\""), 412, "PRECONDITION_FAILED");
    assertThat(json(send("GET", path, null), 200).get("enabled").asBoolean()).as("nothing changed").isFalse();

    HttpResponse<String> rotated = sendIfMatch("POST", path + "/secret/rotate", "", "\"1\", \"2\"");
    assertThat(json(rotated, 200).get("secret").asText()).startsWith("whsec_");
    assertThat(rotated.headers().firstValue("ETag")).hasValue("\"3\"");
    assertThat(sendIfMatch("PATCH", path, "{\"enabled\":true}", "*").headers().firstValue("ETag")).hasValue("\"4\"");
    assertThat(send("PATCH", path, "{\"enabled\":true}").headers().firstValue("ETag"))
        .as("without If-Match a change applies to the latest version").hasValue("\"5\"");

    ApiUnderTest.assertNamed(sendIfMatch("PATCH", path, "{\"enabled\":true}", "5"), "If-Match");
    assertError(sendIfMatch("DELETE", path, null, "\"4\""), 412, "PRECONDITION_FAILED");
    assertThat(sendIfMatch("DELETE", path, null, "\"5\"").statusCode()).isEqualTo(204);
    assertError(send("GET", path, null), 404, "WEBHOOK_NOT_FOUND");
  }

  // --- an undecodable record on the webhooks topic -----------------------------------------------

  @Test
  void anUndecodableRecordLeavesThePreviousVersionInForceGoesToTheInvalidTopicOnceAndIsWrittenOver()
      throws Exception {
    String portal = portal();
    String id = create(portal, "https://example.com/before", true).get("id").asText();
    String invalidTopic = api.topic("events.invalid");
    byte[] garbage = "not a webhook".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(api.kafka().broker().clientProps(),
        new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(webhooksTopic, id, garbage)).get();
    }

    // The copy and the write-back commit together: once the latest record decodes again, the copy is there.
    // Until the repair, the latest record is the garbage itself, which does not decode.
    Awaitility.await("the previous version written back").atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(org.apache.kafka.common.errors.SerializationException.class).untilAsserted(() ->
        assertThat(AvroSerde.of(Webhook.class).decode(topicContents().get(id)).getRevision()).isEqualTo(2));
    Webhook back = AvroSerde.of(Webhook.class).decode(topicContents().get(id));
    assertThat(back.getUrl()).isEqualTo("https://example.com/before");
    assertThat(back.getEnabled()).isTrue();
    HttpResponse<String> read = send("GET", "/api/v2/" + portal + "/webhooks/" + id, null);
    assertThat(json(read, 200).get("url").asText()).as("the previous version stayed in force")
        .isEqualTo("https://example.com/before");
    assertThat(read.headers().firstValue("ETag")).hasValue("\"2\"");
    List<ConsumerRecord<String, byte[]>> copies = records(invalidTopic).stream()
        .filter(r -> id.equals(r.key())).toList();
    assertThat(copies).as("copied to %s once", invalidTopic).hasSize(1);
    assertThat(copies.get(0).value()).isEqualTo(garbage);
    assertThat(header(copies.get(0), "hookline.error.reason")).isEqualTo("UNDECODABLE_AVRO");
    assertThat(header(copies.get(0), "hookline.source.topic")).isEqualTo(webhooksTopic);
    JsonNode health = JSON.readTree(send("GET", "/health", null).body());
    assertThat(health.get("components").get("webhooks").get("status").asText()).isEqualTo("UP");
    assertThat(health.get("components").get("webhooks").path("details").path("degraded").isMissingNode())
        .as("nothing is held once the record is written over").isTrue();
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    return new String(r.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> sendIfMatch(String method, String path, String body, String ifMatch)
      throws Exception {
    java.util.regex.Matcher portal = java.util.regex.Pattern.compile("^/api/v2/([^/?]+)").matcher(path);
    portal.find();
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + TestTokens.forPortal(portal.group(1))).header("If-Match", ifMatch);
    if (body == null) {
      b.method(method, BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body));
    }
    return HTTP.send(b.build(), BodyHandlers.ofString());
  }

  private static String portal() {
    return "portal" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String b64(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  private static JsonNode create(String portal, String url, boolean enabled) throws Exception {
    return json(send("POST", "/api/v2/" + portal + "/webhooks",
        "{\"url\":\"" + url + "\",\"events\":[\"conversation.created\"],\"enabled\":" + enabled + "}"), 201);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static String plain(Webhook stored, int index) {
    return TestTokens.cipher().decrypt(stored.getSecrets().get(index).getSecret(), stored.getId());
  }

  /** Sends with a token for the portal named in the path, with every scope. */
  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    java.util.regex.Matcher portal = java.util.regex.Pattern.compile("^/api/v2/([^/?]+)").matcher(path);
    return send(method, path, body, portal.find() ? TestTokens.forPortal(portal.group(1)) : null);
  }

  private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body));
    }
    return HTTP.send(b.build(), BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as("status of %s, body %s", r.uri(), r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  private static JsonNode assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as("status of %s %s, body %s", r.request().method(), r.uri(), r.body())
        .isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.size()).isEqualTo(2);
    return body;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    ((ArrayNode) array).forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The latest value of every key on the webhooks topic, null for a tombstone, read raw. */
  private static Map<String, byte[]> topicContents() {
    Map<String, byte[]> latest = new HashMap<>();
    records(webhooksTopic).forEach(r -> latest.put(r.key(), r.value()));
    return latest;
  }

  /** Every committed record of {@code topic}, read raw. */
  private static List<ConsumerRecord<String, byte[]>> records(String topic) {
    Map<String, Object> props = api.kafka().broker().clientProps();
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading %s to its end", topic).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
