package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throttling as receivers ask for it, through the real services: a receiver that answers 429 with
 * {@code Retry-After} is left alone for that long and then gets its executions in order, none
 * dead-lettered, no retry used up; a webhook with a {@code rate_limit} gets no more than that per
 * second from two dispatcher instances, while an unlimited one beside it runs at full speed. One
 * request in flight per webhook, so the order at the receiver is the publish order.
 */
@EndToEndTest
@Lanes.Alone
class ThrottlingEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<String, FailedExecution> deadLetters;
  private static TopicRecording<String, Attempt> attempts;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s,1s", RunningHookline.logDir("throttling"),
        Map.of("HOOKLINE_MAX_IN_FLIGHT_PER_WEBHOOK", "1"));
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps());
    attempts = TopicRecording.of(hookline.topics().attempts(), KAFKA.broker().clientProps());
    hookline.startDispatcherReplica(Duration.ofSeconds(180));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {attempts, deadLetters, producer, hookline, receiver}) {
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
  void aReceiverAnswering429WithRetryAfterSeesNothingForThatLongThenEveryExecutionInOrder() throws Exception {
    String path = "/throttled/" + UUID.randomUUID();
    // The receiver is busy for 2 s from the first request: everything before then gets 429 Retry-After: 2.
    // The first answer takes 500 ms, so every event below waits in the webhook's lane when the pause starts.
    AtomicReference<Instant> busySince = new AtomicReference<>();
    receiver.respond(path, request -> {
      busySince.compareAndSet(null, request.receivedAt());
      boolean busy = request.receivedAt().isBefore(busySince.get().plusSeconds(2));
      if (!busy) {
        return WebhookReceiver.status(200);
      }
      return new WebhookReceiver.Respond(429, "", request.receivedAt().equals(busySince.get())
          ? Duration.ofMillis(500) : Duration.ZERO, Map.of("Retry-After", "2"));
    });
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.throttled"))
        .get("id").asText();
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String eventId = "throttled-" + i + "-" + UUID.randomUUID();
      published.add(eventId);
      EndToEnd.publish(producer, hookline, PORTAL, eventId, "order.throttled");
    }

    List<WebhookReceiver.Request> delivered = receiver.awaitRequests(10,
        r -> r.path().equals(path) && busySince.get() != null && !r.receivedAt().isBefore(busySince.get().plusSeconds(2)), Duration.ofSeconds(90));

    List<WebhookReceiver.Request> all = receiver.requests(path);
    List<WebhookReceiver.Request> throttled = all.stream()
        .filter(r -> r.receivedAt().isBefore(busySince.get().plusSeconds(2))).toList();
    assertThat(throttled).as("one 429 paused the webhook: nothing more was sent during the pause").hasSize(1);
    Instant first429 = throttled.get(0).receivedAt();
    assertThat(delivered.get(0).receivedAt()).as("nothing before Retry-After ran out")
        .isAfterOrEqualTo(first429.plusSeconds(2));
    assertThat(delivered).extracting(r -> EndToEnd.read(r.bodyText()).get("id").asText())
        .as("every execution, in publish order, once").containsExactlyElementsOf(published);

    List<Attempt> tried = attempts.await(a -> a.getWebhookId().equals(webhookId), 11, Duration.ofSeconds(30));
    assertThat(tried).filteredOn(a -> a.getHttpStatus() == 429).singleElement().satisfies(a -> {
      assertThat(a.getThrottledUntil()).as("throttled until Retry-After ran out")
          .isBetween(first429.toEpochMilli() + 2_000, first429.toEpochMilli() + 2_000 + 5_000);
      assertThat(a.getAttempt()).isEqualTo(1);
    });
    assertThat(tried).filteredOn(a -> a.getHttpStatus() == 200).extracting(Attempt::getAttempt)
        .as("a throttled attempt uses up no retry").containsOnly(1).hasSize(10);
    assertThat(deadLetters.values(d -> d.getWebhookId().equals(webhookId))).as("none dead-lettered").isEmpty();
  }

  @Test
  void aWebhookLimitedTo5PerSecondGetsAtMost5PerSecondFromTwoDispatchersWhileAnUnlimitedOneRunsAtFullSpeed()
      throws Exception {
    String portal = "ratelimited";
    String limitedPath = "/limited/" + UUID.randomUUID();
    String freePath = "/unlimited/" + UUID.randomUUID();
    var refused = hookline.api("POST", "/api/v2/" + portal + "/webhooks", portal, EndToEnd.JSON.writeValueAsString(
        Map.of("url", receiver.url(limitedPath), "events", List.of("order.limited"), "rate_limit", 0)));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("rate_limit");
    var created = hookline.api("POST", "/api/v2/" + portal + "/webhooks", portal, EndToEnd.JSON.writeValueAsString(
        Map.of("url", receiver.url(limitedPath), "events", List.of("order.limited"), "rate_limit", 5)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(EndToEnd.read(created.body()).get("rate_limit").asInt()).isEqualTo(5);
    EndToEnd.createWebhook(hookline, portal, receiver.url(freePath), List.of("order.unlimited"));

    // Keyed at random, so the events spread over every partition and both dispatchers fan them out.
    int limitedEvents = 200;
    int freeEvents = 600;
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < Math.max(limitedEvents, freeEvents); i++) {
      if (i < limitedEvents) {
        sent.add(publish(portal, "order.limited"));
      }
      if (i < freeEvents) {
        sent.add(publish(portal, "order.unlimited"));
      }
    }
    producer.flush();
    for (var f : sent) {
      f.get();
    }

    WebhookReceiver.Request first = receiver.awaitRequests(limitedPath, 1, Duration.ofSeconds(60)).get(0);
    Instant windowEnd = first.receivedAt().plusSeconds(30);
    org.awaitility.Awaitility.await("the 30 s measuring window").atMost(Duration.ofSeconds(90))
        .until(() -> Instant.now().isAfter(windowEnd.plusMillis(500)));
    List<WebhookReceiver.Request> free = receiver.requests(freePath).stream()
        .filter(r -> r.receivedAt().isBefore(windowEnd)).toList();

    List<WebhookReceiver.Request> limited = receiver.requests(limitedPath).stream()
        .filter(r -> r.receivedAt().isBefore(windowEnd)).toList();
    // The limit counts request starts per second of the dispatcher's clock, and each request is
    // signed with the time it was counted at: per webhook-timestamp second, never more than 5.
    Map<Long, Long> perSignedSecond = new java.util.TreeMap<>(limited.stream().collect(java.util.stream.Collectors
        .groupingBy(r -> Long.parseLong(r.header("webhook-timestamp")), java.util.stream.Collectors.counting())));
    assertThat(perSignedSecond.values()).as("requests per webhook-timestamp second: %s", perSignedSecond)
        .allMatch(n -> n <= 5);
    // By arrival: a request started at the end of one second may arrive in the next; with one
    // request in flight per webhook, at most one does per second.
    Map<Long, Long> perSecond = new java.util.TreeMap<>(limited.stream().collect(java.util.stream.Collectors
        .groupingBy(r -> r.receivedAt().getEpochSecond(), java.util.stream.Collectors.counting())));
    assertThat(perSecond.values()).as("requests per second of arrival: %s", perSecond).allMatch(n -> n <= 5 + 1);
    long sliding = limited.stream().mapToLong(r -> limited.stream().filter(o -> !o.receivedAt().isBefore(r.receivedAt())
        && o.receivedAt().isBefore(r.receivedAt().plusSeconds(1))).count()).max().orElse(0);
    assertThat(limited.size()).as("it keeps delivering at about its limit (at most 155 in 30 s)").isBetween(100, 155 + 1);
    assertThat(free.size()).as("the unlimited webhook beside it is not held back: over twice the limit's most in the"
        + " same window (it runs at the speed of its one request in flight)").isGreaterThan(2 * 155);
    double freeSeconds = Duration.between(free.get(0).receivedAt(), free.get(free.size() - 1).receivedAt()).toMillis() / 1000.0;
    System.out.printf("rate-limited webhook: %d requests in 30 s, per signed second %s, per arrival second %s,"
        + " most in a sliding second %d; unlimited: %d in %.1f s%n", limited.size(), perSignedSecond.values(),
        perSecond.values(), sliding, free.size(), freeSeconds);
  }

  private java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> publish(String portal,
      String eventName) throws Exception {
    String eventId = UUID.randomUUID().toString();
    String json = EndToEnd.JSON.writeValueAsString(Map.of("id", eventId, "portal", portal, "event", eventName,
        "payload", Map.of("n", eventId)));
    return producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(hookline.topics().events().name(),
        UUID.randomUUID().toString(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
