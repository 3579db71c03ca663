package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Event;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first delivery path as a user walks it: a webhook registered through the API, events
 * published to Kafka as JSON and as Avro, deliveries signed so that an independent Standard Webhooks
 * verifier accepts them, every attempt recorded, bad input set aside with a reason.
 */
@EndToEndTest
@Lanes.Waiting
class DeliveryEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PORTAL = "zylker";
  private static final String EVENT = "conversation.operator.replied";

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<String, Attempt> attempts;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s,1s", RunningHookline.logDir("delivery"), Map.of());
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    attempts = TopicRecording.of(hookline.topics().attempts(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    if (attempts != null) {
      attempts.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (hookline != null) {
      hookline.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void webhookCreatedThroughTheApiReceivesJsonAndAvroEventsWithVerifiableSignatures() throws Exception {
    String path = "/hook/" + UUID.randomUUID();
    JsonNode webhook = createWebhook(path, List.of(EVENT));
    String webhookId = webhook.get("id").asText();
    String secret = webhook.get("secret").asText();

    String jsonEvent = """
        {"portal":"zylker","app_id":"19367000000002043","event":"conversation.operator.replied",
         "entity":"conversation","entity_id":"19367000000130079","entity_label":{"id":"19367000000130079"},
         "event_time":1566841905380,"payload":{"message":{"text":"from JSON"}}}""";
    publish(jsonEvent.getBytes(StandardCharsets.UTF_8));
    Event avro = Event.newBuilder().setPortal(PORTAL).setEvent(EVENT).setEntity("conversation")
        .setEntityId("19367000000130035").setPayload("{\"message\":{\"text\":\"from Avro\"}}").build();
    publish(EventCodec.toAvro(avro));

    List<WebhookReceiver.Request> received = receiver.awaitRequests(path, 2, Duration.ofSeconds(30));
    for (WebhookReceiver.Request r : received) {
      assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), r.headers()))
          .doesNotThrowAnyException();
      assertThat(r.header("content-type")).startsWith("application/json");
    }
    List<JsonNode> bodies = received.stream().map(r -> read(r.bodyText())).toList();
    assertThat(bodies).extracting(b -> b.at("/payload/message/text").asText())
        .containsExactlyInAnyOrder("from JSON", "from Avro");
    JsonNode fromJson = bodies.stream().filter(b -> b.at("/payload/message/text").asText().equals("from JSON")).findFirst().orElseThrow();
    assertThat(fromJson.get("app_id").asText()).isEqualTo("19367000000002043");
    assertThat(fromJson.get("entity_label").get("id").asText()).isEqualTo("19367000000130079");
    assertThat(fromJson.get("event_time").asLong()).isEqualTo(1566841905380L);
    assertThat(fromJson.get("id").asText()).isNotBlank();

    List<Attempt> sent = attempts.await(a -> a.getWebhookId().equals(webhookId), 2, Duration.ofSeconds(20));
    assertThat(sent).allSatisfy(a -> {
      assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
      assertThat(a.getHttpStatus()).isEqualTo(200);
      assertThat(a.getAttempt()).isEqualTo(1);
    });
    assertThat(sent).extracting(Attempt::getExecutionId)
        .containsExactlyInAnyOrderElementsOf(received.stream().map(r -> r.header("webhook-id")).toList());
  }

  @Test
  void malformedRecordIsSetAsideWithAReasonAndTheNextEventIsStillDelivered() throws Exception {
    String path = "/hook/" + UUID.randomUUID();
    createWebhook(path, List.of("invalid.test"));
    try (TopicRecording<byte[], byte[]> invalid = TopicRecording.of(hookline.topics().eventsInvalid(), KAFKA.broker().clientProps())) {
      byte[] garbage = "{\"portal\":\"zylker\", not json".getBytes(StandardCharsets.UTF_8);
      publish(garbage);
      publish("{\"portal\":\"zylker\",\"event\":\"invalid.test\",\"payload\":{\"n\":2}}".getBytes(StandardCharsets.UTF_8));

      receiver.awaitRequests(path, 1, Duration.ofSeconds(30));
      invalid.await(v -> java.util.Arrays.equals(v, garbage), 1, Duration.ofSeconds(10));
      var set = invalid.records().stream().filter(r -> java.util.Arrays.equals(r.value(), garbage)).toList();
      assertThat(set).hasSize(1);
      var headers = set.get(0).headers();
      assertThat(new String(headers.lastHeader(InvalidRecordHeaders.REASON).value(), StandardCharsets.UTF_8))
          .isEqualTo("MALFORMED_JSON");
      assertThat(new String(headers.lastHeader(InvalidRecordHeaders.MESSAGE).value(), StandardCharsets.UTF_8))
          .isNotBlank();
    }
  }

  @Test
  void webhookSubscribedToOtherEventsReceivesNothing() throws Exception {
    String other = "/hook/" + UUID.randomUUID();
    createWebhook(other, List.of("some.other.event"));
    RecordMetadata sent = publish("{\"portal\":\"zylker\",\"event\":\"nobody.listens\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
    // The event is fully handled once the dispatcher's committed offset has passed it.
    TopicPartition tp = new TopicPartition(sent.topic(), sent.partition());
    try (Admin admin = KAFKA.broker().admin()) {
      String group = hookline.dispatcherGroupId();
      Awaitility.await("dispatcher committed past the event").atMost(Duration.ofSeconds(30)).until(() -> {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return committed != null && committed.offset() > sent.offset();
      });
    }
    assertThat(receiver.requests(other)).isEmpty();
  }

  @Test
  void afterARotationThroughTheApiBothSecretsVerifyAndNeitherIsStoredInClear() throws Exception {
    String path = "/hook/" + UUID.randomUUID();
    String event = "rotation.e2e";
    JsonNode webhook = createWebhook(path, List.of(event));
    String webhookId = webhook.get("id").asText();
    String older = webhook.get("secret").asText();
    var rotated = hookline.api("POST", "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/secret/rotate", PORTAL, null);
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    String newer = read(rotated.body()).get("secret").asText();
    assertThat(newer).isNotEqualTo(older);

    // The dispatcher follows the webhooks topic on its own: publish until a delivery carries both.
    String body = "{\"portal\":\"zylker\",\"event\":\"" + event + "\",\"payload\":{}}";
    Awaitility.await("a delivery signed with both secrets").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          publish(body.getBytes(StandardCharsets.UTF_8));
          return receiver.requests(path).stream().anyMatch(r -> r.header("webhook-signature").split(" ").length == 2);
        });
    WebhookReceiver.Request during = receiver.requests(path).stream()
        .filter(r -> r.header("webhook-signature").split(" ").length == 2).findFirst().orElseThrow();
    for (String secret : List.of(newer, older)) {
      assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(during.bodyText(), during.headers()))
          .doesNotThrowAnyException();
    }

    // On the compacted topic the secrets are only ciphertext.
    Map<String, Object> props = new java.util.HashMap<>(KAFKA.broker().clientProps());
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(hookline.topics().webhooks().name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      StringBuilder raw = new StringBuilder();
      Awaitility.await("the webhooks topic read to its end").atMost(Duration.ofSeconds(20)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.value() != null) {
            raw.append(new String(r.value(), StandardCharsets.ISO_8859_1));
          }
        });
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
      });
      assertThat(raw.toString()).contains(webhookId).contains("enc:v1:")
          .doesNotContain(older.substring("whsec_".length())).doesNotContain(newer.substring("whsec_".length()));
    }
  }

  private JsonNode createWebhook(String path, List<String> events) throws Exception {
    String body = JSON.writeValueAsString(Map.of("url", receiver.url(path), "events", events));
    var response = hookline.api("POST", "/api/v2/" + PORTAL + "/webhooks", PORTAL, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return read(response.body());
  }

  private static RecordMetadata publish(byte[] value) throws Exception {
    return producer.send(new ProducerRecord<>(hookline.topics().events().name(), PORTAL, value)).get();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
