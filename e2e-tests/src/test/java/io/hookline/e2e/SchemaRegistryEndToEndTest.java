package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.Event;
import io.hookline.testing.ApicurioRegistry;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hookline as users run it (every service its own process) with a real schema registry (Apicurio
 * Registry, Confluent-compatible API): an event published in the registry wire format is delivered,
 * its failing endpoint retried through the retry topics and the retry-scheduler, and its dead letter
 * is in the registry wire format, readable by anyone who looks its schema id up in the registry; the
 * query API serves it too.
 */
@EndToEndTest
@Lanes.Busy
class SchemaRegistryEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void anEventInRegistryFramingEndsAsARegistryFramedDeadLetter() throws Exception {
    ApicurioRegistry registry = ApicurioRegistry.shared();
    try (WebhookReceiver receiver = WebhookReceiver.start();
        RunningHookline hookline = RunningHookline.start(KAFKA.broker(), "1s", RunningHookline.logDir("schema-registry"),
            Map.of("HOOKLINE_SCHEMA_REGISTRY_URL", registry.confluentApiUrl()));
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer())) {
      receiver.answer("/failing", WebhookReceiver.status(500));
      String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/failing"), List.of("order.failed"))
          .get("id").asText();

      // A producer with its own copy of the Event schema registers it, as Confluent's serializer does.
      String eventsTopic = hookline.topics().events().name();
      int eventSchemaId = register(registry, eventsTopic + "-value", Event.getClassSchema());
      GenericRecord event = new GenericData.Record(Event.getClassSchema());
      String eventId = UUID.randomUUID().toString();
      event.put("id", eventId);
      event.put("portal", PORTAL);
      event.put("event", "order.failed");
      event.put("payload", "{\"order\":\"" + eventId + "\"}");
      producer.send(new ProducerRecord<>(eventsTopic, PORTAL, framed(eventSchemaId, event))).get();

      // Two requests (the first and one retry), then the dead letter.
      receiver.awaitRequests("/failing", 2, Duration.ofSeconds(60));
      assertThat(receiver.requests("/failing").get(0).bodyText()).contains(eventId);
      ConsumerRecord<byte[], byte[]> deadLetter = awaitOne(hookline.topics().deadLetter().name(), Duration.ofSeconds(60));

      byte[] value = deadLetter.value();
      assertThat(value[0]).isZero();
      int id = ByteBuffer.wrap(value, 1, 4).getInt();
      Schema writer = new Schema.Parser().parse(EndToEnd.read(get(registry.confluentApiUrl() + "/schemas/ids/" + id))
          .get("schema").asText());
      GenericRecord failed = new GenericDatumReader<GenericRecord>(writer)
          .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
      assertThat(failed.get("webhook_id").toString()).isEqualTo(webhookId);
      assertThat(failed.get("number_of_retries")).isEqualTo(1);
      assertThat(failed.get("last_http_status")).isEqualTo(500);
      assertThat(((GenericRecord) failed.get("event")).get("id").toString()).isEqualTo(eventId);
      JsonNode versions = EndToEnd.read(get(registry.confluentApiUrl() + "/subjects/"
          + hookline.topics().deadLetter().name() + "-value/versions"));
      assertThat(versions.size()).isEqualTo(1);

      // The query API's views read the registry-framed topics too.
      String executions = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions";
      Awaitility.await("failed execution in the API").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            var answer = hookline.api("GET", executions, PORTAL, null);
            return answer.statusCode() == 200 && EndToEnd.read(answer.body()).get("data").size() == 1;
          });
    }
  }

  private static int register(ApicurioRegistry registry, String subject, Schema schema) throws Exception {
    // Apicurio Registry 3.0 refuses the literal string "{}" in a schema (422); the same schema with
    // the string written with JSON escapes is accepted.
    String text = schema.toString().replace("\"{}\"", "\"\\u007b\\u007d\"");
    String body = EndToEnd.JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", text));
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
            URI.create(registry.confluentApiUrl() + "/subjects/" + subject + "/versions"))
        .header("Content-Type", CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return EndToEnd.read(answer.body()).get("id").asInt();
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
    return answer.body();
  }

  private static byte[] framed(int id, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static ConsumerRecord<byte[], byte[]> awaitOne(String topic, Duration timeout) {
    Map<String, Object> props = KAFKA.broker().clientProps();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await("a record on " + topic).atMost(timeout).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return !seen.isEmpty();
      });
    }
    return seen.get(0);
  }
}
