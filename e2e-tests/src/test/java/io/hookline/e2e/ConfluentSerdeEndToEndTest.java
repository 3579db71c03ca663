package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.testing.ApicurioRegistry;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.WebhookReceiver;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hookline against Confluent's own serde code, not ours: with {@code HOOKLINE_SCHEMA_REGISTRY_URL}
 * set to a real registry (Apicurio Registry's Confluent-compatible API), events serialized by
 * Confluent's {@code AvroSerializer} (npm {@code @confluentinc/schemaregistry}, through
 * tools/confluent-avro.mjs) are delivered, and the dead letters Hookline writes are read by
 * Confluent's {@code AvroDeserializer}, the writer schema looked up by the id in the record, under
 * the topic-name subject. Kafka is this test's part: the script only turns values into bytes and
 * back. One Hookline, one event of each kind. Needs node and {@code npm ci --prefix tools}:
 * skipped without them, a failure under CI=true.
 */
@EndToEndTest
@Lanes.Busy
class ConfluentSerdeEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";
  private static final Path ROOT = repositoryRoot();
  private static final Path SCRIPT = ROOT.resolve("tools/confluent-avro.mjs");

  private static ApicurioRegistry registry;
  private static RunningHookline hookline;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    Optional<String> missing = missingTool();
    if (missing.isPresent() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(missing.get() + "; .ci/run installs it with `npm ci --prefix tools`");
    }
    assumeTrue(missing.isEmpty(), () -> missing.get() + " (npm ci --prefix tools): skipped");
    registry = ApicurioRegistry.shared();
    receiver = WebhookReceiver.start();
    // One retry: the failing webhook's execution is a dead letter after two requests.
    hookline = RunningHookline.start(KAFKA.broker(), "1s", RunningHookline.logDir("confluent-serde"),
        Map.of("HOOKLINE_SCHEMA_REGISTRY_URL", registry.confluentApiUrl()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (hookline != null) {
      hookline.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void eventsFromConfluentsSerializerAreDeliveredAndDeadLettersReadWithConfluentsDeserializer() throws Exception {
    String okPath = "/ok/" + UUID.randomUUID();
    String failPath = "/fail/" + UUID.randomUUID();
    receiver.answer(okPath, WebhookReceiver.status(200));
    receiver.answer(failPath, WebhookReceiver.status(500, "nope"));
    EndToEnd.createWebhook(hookline, PORTAL, receiver.url(okPath), List.of("order.created"));
    String failingWebhook =
        EndToEnd.createWebhook(hookline, PORTAL, receiver.url(failPath), List.of("order.failed")).get("id").asText();

    String delivered = UUID.randomUUID().toString();
    String deadLettered = UUID.randomUUID().toString();
    String eventsTopic = hookline.topics().events().name();
    List<String> values = confluent(List.of("serialize", registry.confluentApiUrl(), eventsTopic,
            ROOT.resolve("schemas/src/main/avro/Event.avsc").toString()),
        List.of(event(delivered, "order.created"), event(deadLettered, "order.failed")));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(eventsTopic, PORTAL, Base64.getDecoder().decode(value))).get();
      }
    }

    WebhookReceiver.Request request = receiver.awaitRequests(okPath, 1, Duration.ofSeconds(90)).get(0);
    JsonNode body = EndToEnd.read(request.bodyText());
    assertThat(body.get("id").asText()).isEqualTo(delivered);
    assertThat(body.get("event").asText()).isEqualTo("order.created");
    assertThat(body.get("payload").get("order").asText()).isEqualTo(delivered);

    String deadLetterTopic = hookline.topics().deadLetter().name();
    ConsumerRecord<byte[], byte[]> deadLetter = awaitRecord(deadLetterTopic, failingWebhook, Duration.ofSeconds(90));
    ByteBuffer frame = ByteBuffer.wrap(deadLetter.value());
    assertThat(frame.get()).as("the wire format's magic byte").isZero();
    int schemaId = frame.getInt();
    assertThat(schemaId).as("the id of the subject's schema (topic-name strategy)")
        .isEqualTo(latestSchemaId(deadLetterTopic + "-value"));

    JsonNode failed = EndToEnd.read(confluent(List.of("deserialize", registry.confluentApiUrl(), deadLetterTopic),
        List.of(Base64.getEncoder().encodeToString(deadLetter.value()))).get(0));
    assertThat(failed.get("webhook_id").asText()).isEqualTo(failingWebhook);
    assertThat(failed.get("portal").asText()).isEqualTo(PORTAL);
    assertThat(failed.get("url").asText()).isEqualTo(receiver.url(failPath));
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("number_of_retries").asInt()).isEqualTo(1);
    assertThat(failed.get("last_http_status").asInt()).isEqualTo(500);
    assertThat(failed.get("error_code").asText()).isEqualTo("HTTP_ERROR");
    assertThat(failed.get("last_execution_time").asLong()).isGreaterThanOrEqualTo(failed.get("first_execution_time").asLong());
    JsonNode event = failed.get("event");
    assertThat(event.get("id").asText()).isEqualTo(deadLettered);
    assertThat(event.get("event").asText()).isEqualTo("order.failed");
    assertThat(EndToEnd.read(event.get("payload").asText()).get("order").asText()).isEqualTo(deadLettered);
  }

  /** An Event in the JSON form Confluent's Avro serializer takes (optional fields as null or plain values). */
  private static String event(String id, String name) throws Exception {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("portal", PORTAL);
    event.put("app_id", null);
    event.put("event", name);
    event.put("entity", "order");
    event.put("entity_id", id);
    event.put("entity_label", null);
    event.put("event_time", System.currentTimeMillis());
    event.put("payload", EndToEnd.JSON.writeValueAsString(Map.of("order", id)));
    return EndToEnd.JSON.writeValueAsString(event);
  }

  /** Runs tools/confluent-avro.mjs with one input line per record; returns its output lines. */
  private static List<String> confluent(List<String> args, List<String> input) throws Exception {
    Path in = Files.createTempFile("confluent-avro", ".in");
    Path out = Files.createTempFile("confluent-avro", ".out");
    Path err = Files.createTempFile("confluent-avro", ".err");
    try {
      Files.write(in, input, StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(List.of(node().orElseThrow().toString(), SCRIPT.toString()));
      command.addAll(args);
      Process process = new ProcessBuilder(command).directory(ROOT.toFile())
          .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("confluent-avro.mjs " + args.get(0) + " did not finish within 120 s");
      }
      assertThat(process.exitValue()).as("confluent-avro.mjs " + args + ":\n" + Files.readString(err)).isZero();
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertThat(lines).as("one output line per input line").hasSize(input.size());
      return lines;
    } finally {
      for (Path file : List.of(in, out, err)) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** The first record keyed {@code key} on {@code topic}, its value as written (not decoded). */
  private static ConsumerRecord<byte[], byte[]> awaitRecord(String topic, String key, Duration timeout) {
    Map<String, Object> props = new java.util.HashMap<>(KAFKA.broker().clientProps());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
      Awaitility.await("a record keyed " + key + " on " + topic).atMost(timeout).pollInterval(Duration.ZERO)
          .until(() -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
              if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                found.add(record);
              }
            }
            return !found.isEmpty();
          });
      return found.get(0);
    }
  }

  private static int latestSchemaId(String subject) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/subjects/" + subject + "/versions/latest"))
            .GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return EndToEnd.read(answer.body()).get("id").asInt();
  }

  private static Optional<String> missingTool() {
    if (node().isEmpty()) {
      return Optional.of("node is not installed");
    }
    if (!Files.exists(ROOT.resolve("tools/node_modules/@confluentinc/schemaregistry/package.json"))) {
      return Optional.of("the npm package @confluentinc/schemaregistry is not installed in tools/");
    }
    return Optional.empty();
  }

  private static Optional<Path> node() {
    return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .map(dir -> Path.of(dir, "node"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("tools/package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root (with tools/package.json) not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
