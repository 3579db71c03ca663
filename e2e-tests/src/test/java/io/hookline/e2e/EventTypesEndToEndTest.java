package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a portal can say about its events, against the services as users run them: wildcard
 * subscriptions receive the matching events only, custom headers reach the receiver and reserved
 * ones are refused, and an event type's JSON Schema lets a valid event through while an invalid one
 * lands on the invalid-events topic with the errors and reaches no receiver. Each test uses its own
 * portal, so the '*' subscriptions of one never see the events of another; one Hookline serves all.
 */
@EndToEndTest
@Lanes.Waiting
class EventTypesEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<byte[], byte[]> invalid;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s", RunningHookline.logDir("event-types"), Map.of());
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    invalid = TopicRecording.of(hookline.topics().eventsInvalid(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {invalid, producer, hookline, receiver}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the rest anyway
      }
    }
  }

  @Test
  void wildcardSubscriptionsReceiveTheMatchingEventsOnly() throws Exception {
    String portal = portal();
    String orders = path();
    String everything = path();
    EndToEnd.createWebhook(hookline, portal, receiver.url(orders), List.of("order.*"));
    EndToEnd.createWebhook(hookline, portal, receiver.url(everything), List.of("*"));

    // One partition (keyed by portal), dispatched in order: once order.* has its two, invoice.paid,
    // published first, was fanned out already.
    publish(portal, "invoice.paid");
    publish(portal, "order.created");
    publish(portal, "order.item.added");

    assertThat(receiver.awaitRequests(orders, 2, WAIT)).extracting(r -> eventName(r)).containsExactlyInAnyOrder(
        "order.created", "order.item.added");
    assertThat(receiver.awaitRequests(everything, 3, WAIT)).extracting(r -> eventName(r)).containsExactlyInAnyOrder(
        "invoice.paid", "order.created", "order.item.added");
    assertThat(receiver.requests(orders)).hasSize(2);
    var malformed = hookline.api("POST", "/api/v2/" + portal + "/webhooks", portal,
        "{\"url\": \"" + receiver.url(orders) + "\", \"events\": [\"or*der\"]}");
    assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
    assertThat(malformed.body()).contains("events[0]");
  }

  @Test
  void customHeadersReachTheReceiverAndReservedOnesAreRefused() throws Exception {
    String portal = portal();
    String path = path();
    var created = hookline.api("POST", "/api/v2/" + portal + "/webhooks", portal, "{\"url\": \"" + receiver.url(path)
        + "\", \"events\": [\"order.created\"], \"headers\": {\"X-Api-Key\": \"k-123\", \"Authorization\": \"Bearer t\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(EndToEnd.read(created.body()).get("headers").get("X-Api-Key").asText()).isEqualTo("k-123");

    publish(portal, "order.created");

    WebhookReceiver.Request request = receiver.awaitRequests(path, 1, WAIT).get(0);
    assertThat(request.header("X-Api-Key")).isEqualTo("k-123");
    assertThat(request.header("Authorization")).isEqualTo("Bearer t");
    assertThat(request.header("webhook-signature")).startsWith("v1,");
    for (String reserved : List.of("Webhook-Signature", "content-type", "Host", "hookline-trace")) {
      var refused = hookline.api("POST", "/api/v2/" + portal + "/webhooks", portal, "{\"url\": \"" + receiver.url(path)
          + "\", \"events\": [\"x\"], \"headers\": {\"" + reserved + "\": \"v\"}}");
      assertThat(refused.statusCode()).as(reserved + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.body()).contains("'headers'").contains("reserved");
    }
  }

  @Test
  void anEventFailingItsTypesSchemaGoesToTheInvalidTopicAndReachesNoOne() throws Exception {
    String portal = portal();
    String path = path();
    var badSchema = hookline.api("POST", "/api/v2/" + portal + "/event-types", portal,
        "{\"name\": \"order.placed\", \"schema\": {\"type\": \"strin\"}}");
    assertThat(badSchema.statusCode()).as(badSchema.body()).isEqualTo(400);
    assertThat(badSchema.body()).contains("'schema'");
    var type = hookline.api("POST", "/api/v2/" + portal + "/event-types", portal,
        "{\"name\": \"order.placed\", \"description\": \"An order was placed\", \"schema\": {\"type\": \"object\","
            + " \"required\": [\"n\"], \"properties\": {\"n\": {\"type\": \"string\"}}}}");
    assertThat(type.statusCode()).as(type.body()).isEqualTo(201);
    JsonNode shown = EndToEnd.read(hookline.api("GET", "/api/v2/" + portal + "/event-types/order.placed", portal, null)
        .body());
    assertThat(shown.get("schema").get("required").get(0).asText()).isEqualTo("n");
    // Any visible character may name a type; its Location is one encoded path segment that finds it.
    var odd = hookline.api("POST", "/api/v2/" + portal + "/event-types", portal, "{\"name\": \"a%b?c#d\"}");
    assertThat(odd.statusCode()).as(odd.body()).isEqualTo(201);
    String location = odd.headers().firstValue("Location").orElseThrow();
    assertThat(location).endsWith("/event-types/a%25b%3Fc%23d");
    assertThat(EndToEnd.read(hookline.api("GET", location, portal, null).body()).path("name").asText()).isEqualTo("a%b?c#d");
    EndToEnd.createWebhook(hookline, portal, receiver.url(path), List.of("order.placed"));

    String invalidId = UUID.randomUUID().toString();
    producer.send(new ProducerRecord<>(hookline.topics().events().name(), portal, ("{\"id\": \"" + invalidId
        + "\", \"portal\": \"" + portal + "\", \"event\": \"order.placed\", \"payload\": {\"n\": 5}}")
        .getBytes(StandardCharsets.UTF_8))).get();
    String validId = UUID.randomUUID().toString();
    EndToEnd.publish(producer, hookline, portal, validId, "order.placed");

    var refused = Awaitility.await("the invalid event on " + hookline.topics().eventsInvalid().name()).atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> invalid.records().stream()
            .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(invalidId)).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
    assertThat(refused.header(InvalidRecordHeaders.REASON)).isEqualTo("SCHEMA_VALIDATION");
    assertThat(refused.header(InvalidRecordHeaders.MESSAGE)).contains("order.placed").contains("1 error").contains("n");
    // Published after the invalid one on the same partition: once it is delivered, the invalid one was refused.
    List<WebhookReceiver.Request> delivered = receiver.awaitRequests(path, 1, WAIT);
    assertThat(delivered).extracting(r -> EndToEnd.read(r.bodyText()).get("id").asText()).containsExactly(validId);
    assertThat(receiver.requests(path)).hasSize(1);
  }

  private static String eventName(WebhookReceiver.Request request) {
    return EndToEnd.read(request.bodyText()).get("event").asText();
  }

  private static void publish(String portal, String event) throws Exception {
    EndToEnd.publish(producer, hookline, portal, UUID.randomUUID().toString(), event);
  }

  private static String portal() {
    return "p" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String path() {
    return "/" + UUID.randomUUID();
  }
}
