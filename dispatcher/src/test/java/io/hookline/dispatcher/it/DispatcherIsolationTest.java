package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.hang;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.avro.Webhook;
import io.hookline.schemas.ParkedHeaders;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One dead endpoint must not slow anyone else down. A tenth of the webhooks never answer (3 s
 * timeouts here), the rest answer 200 at once, and every event goes to one input partition, the
 * worst case for a shared commit point. Measured against an all-healthy run of the same size in the
 * same test: the healthy webhooks get every event about as fast, the group's committed offset
 * moves past the dead webhooks' records long before those are finished, and the dead webhooks'
 * executions are parked (no attempt), come back, and end in the dead letter after exactly the
 * scheduled number of attempts.
 *
 * <p>Without breakers and parking the dead lanes would hold more than {@code max-queued}
 * executions, input would pause until their requests timed out eight at a time (about a minute
 * here), and the commit point would wait for every one of them.
 */
@IntegrationTest
class DispatcherIsolationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  static final int EVENTS = 100;
  static final int HEALTHY = 9;
  static final int DEAD = 1;
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  static RunningDispatcher hookline;
  static DueRecordRelay relay;
  static TopicRecording<String, RetryRequest> parked;

  @BeforeAll
  static void start() {
    hookline = new RunningDispatcher(KAFKA.broker(), Map.of(
        "hookline.delivery-timeout", "3s",
        "hookline.max-in-flight-per-webhook", 4,
        "hookline.retry-delays", "1s,1s",
        "hookline.max-queued", 60,
        "hookline.breaker-failure-threshold", 3,
        "hookline.breaker-open-duration", "1s"));
    relay = new DueRecordRelay(hookline.topics, KAFKA.broker().clientProps());
    parked = TopicRecording.of(hookline.topics.parked(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    relay.close();
    parked.close();
    hookline.close();
  }

  @Test
  void deadEndpointsNeitherSlowHealthyOnesNorHoldTheCommitPointAndTheirExecutionsEndWithTheRightCounts() throws Exception {
    for (int i = 0; i < HEALTHY; i++) {
      hookline.createWebhook("/baseline-" + i, "warm-up.event", "baseline.event");
      hookline.createWebhook("/healthy-" + i, "mixed.event");
    }
    List<Webhook> dead = new ArrayList<>();
    for (int i = 0; i < DEAD; i++) {
      hookline.receiver.answer("/dead-" + i, hang());
      dead.add(hookline.createWebhook("/dead-" + i, "mixed.event"));
    }
    Set<String> deadIds = dead.stream().map(Webhook::getId).collect(Collectors.toSet());

    deliverAll("warm-up.event", "/baseline-"); // connections and JIT warm for both runs alike
    Duration baseline = deliverAll("baseline.event", "/baseline-");
    Instant published = Instant.now();
    RecordMetadata last = publish("mixed.event");
    Duration mixed = timeToDeliverAll(published, "mixed.event", "/healthy-");

    // Healthy webhooks are as prompt as without the dead ones (generous bound: one breaker trip).
    System.out.printf("Isolation: all-healthy run %d ms, with a dead tenth %d ms%n", baseline.toMillis(), mixed.toMillis());
    assertThat(mixed).as("healthy deliveries with dead endpoints (all-healthy run: %s)", baseline)
        .isLessThan(baseline.multipliedBy(2).plus(TIMEOUT.multipliedBy(2)));
    for (int i = 0; i < HEALTHY; i++) {
      assertThat(hookline.receiver.requests("/healthy-" + i)).hasSize(EVENTS);
      assertThat(hookline.receiver.requests("/baseline-" + i)).hasSize(2 * EVENTS);
    }

    // The committed offset passes every record while the dead webhooks' executions are unfinished.
    await().atMost(Duration.ofSeconds(15)).until(() -> hookline.committed(last.partition()) > last.offset());
    assertThat(failedOf(deadIds)).hasSizeLessThan(EVENTS * DEAD);

    // Every dead execution is parked at least once, without an attempt for parking, then tried
    // again and again until its retries are used up: exactly attempts 1..3, then the dead letter.
    List<FailedExecution> failed =
        hookline.deadLetters.await(f -> deadIds.contains(f.getWebhookId()), EVENTS * DEAD, Duration.ofSeconds(40));
    assertThat(failed).hasSize(EVENTS * DEAD).allSatisfy(f -> {
      assertThat(f.getState()).isEqualTo(FailedExecutionState.FAILED);
      assertThat(f.getNumberOfRetries()).isEqualTo(2);
      assertThat(f.getErrorCode()).isIn("TIMEOUT", "CIRCUIT_OPEN");
    });
    Map<String, List<Integer>> attemptNumbers = hookline.attempts.values(a -> deadIds.contains(a.getWebhookId())).stream()
        .collect(Collectors.groupingBy(Attempt::getExecutionId, Collectors.mapping(Attempt::getAttempt, Collectors.toList())));
    assertThat(attemptNumbers).hasSize(EVENTS * DEAD)
        .allSatisfy((id, numbers) -> assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3));
    var parkedFirstAttempts = parked.records(r -> deadIds.contains(r.getWebhookId()) && r.getAttempt() == 1);
    assertThat(parkedFirstAttempts).isNotEmpty().allSatisfy(r -> {
      assertThat(r.value().getTrigger()).isEqualTo(Trigger.INITIAL);
      assertThat(new String(r.raw().headers().lastHeader(ParkedHeaders.PARKED).value(), StandardCharsets.UTF_8))
          .isIn("CIRCUIT_OPEN", "QUEUE_FULL");
    });
    assertThat(parked.values(r -> !deadIds.contains(r.getWebhookId()))).as("healthy executions parked").isEmpty();
    assertThat(hookline.dispatcher.isolationCounts().breakersOpened()).isGreaterThanOrEqualTo(DEAD);
    assertThat(hookline.dispatcher.backlog()).isZero();
  }

  /**
   * The end of a pause, with the retry scheduler late: a receiver answers the first of three
   * executions 429 {@code Retry-After: 1} (one request in flight), the three are parked; a fourth
   * event arrives after the pause ended while the parked ones are still on their way back. It waits
   * behind them instead of going out first, and the receiver gets all four in publish order.
   */
  @Test
  void anEventArrivingAfterAPauseWaitsForTheExecutionsParkedForIt() throws Exception {
    try (RunningDispatcher one = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.max-in-flight-per-webhook", 1));
        DueRecordRelay late = new DueRecordRelay(one.topics, KAFKA.broker().clientProps())) {
      late.hold();
      one.receiver.script("/paused", new WebhookReceiver.Respond(429, "", Duration.ZERO, Map.of("Retry-After", "1")));
      Webhook paused = one.createWebhook("/paused", "paused.event");
      one.createWebhook("/marker", "marker.event");
      List<String> ids = IntStream.rangeClosed(1, 4).mapToObj(i -> "ordered-" + i + "-" + java.util.UUID.randomUUID()).toList();
      for (String id : ids.subList(0, 3)) {
        one.publishJson(null, event(id, "paused.event"));
      }
      Attempt throttled = one.attempts.await(a -> a.getWebhookId().equals(paused.getId()), 1, Duration.ofSeconds(30)).get(0);
      assertThat(throttled.getHttpStatus()).isEqualTo(429);
      await().atMost(Duration.ofSeconds(30)).until(() -> late.read() >= 3);
      await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() > throttled.getThrottledUntil());

      one.publishJson(null, event(ids.get(3), "paused.event"));
      one.publishJson(null, event("marker", "marker.event")); // same partition: read after the fourth
      one.receiver.awaitRequests("/marker", 1, Duration.ofSeconds(30));
      assertThat(one.receiver.requests("/paused")).as("the fourth waits for the parked ones").hasSize(1);

      late.release();
      List<WebhookReceiver.Request> got = one.receiver.awaitRequests("/paused", 5, Duration.ofSeconds(30));
      assertThat(got).extracting(r -> r.bodyText().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))
          .containsExactly(ids.get(0), ids.get(0), ids.get(1), ids.get(2), ids.get(3));
    }
  }

  private static String event(String id, String name) {
    return "{\"id\":\"" + id + "\",\"portal\":\"" + RunningDispatcher.PORTAL + "\",\"event\":\"" + name
        + "\",\"entity\":\"conversation\",\"payload\":{\"n\":1}}";
  }

  /** Publishes the events and waits until every webhook under {@code pathPrefix} has all of them. */
  private Duration deliverAll(String eventName, String pathPrefix) throws Exception {
    Instant published = Instant.now();
    publish(eventName);
    return timeToDeliverAll(published, eventName, pathPrefix);
  }

  private Duration timeToDeliverAll(Instant published, String eventName, String pathPrefix) {
    String named = "\"event\":\"" + eventName + "\"";
    List<WebhookReceiver.Request> got = hookline.receiver.awaitRequests(EVENTS * HEALTHY,
        r -> r.path().startsWith(pathPrefix) && r.bodyText().contains(named), Duration.ofSeconds(60));
    Instant lastReceived = got.stream().map(WebhookReceiver.Request::receivedAt).max(Instant::compareTo).orElseThrow();
    return Duration.between(published, lastReceived);
  }

  /** The events, all on one partition (one key); returns where the last one landed. */
  private RecordMetadata publish(String eventName) throws Exception {
    byte[] json = RunningDispatcher.json(eventName).getBytes(StandardCharsets.UTF_8);
    byte[] key = RunningDispatcher.PORTAL.getBytes(StandardCharsets.UTF_8);
    List<Future<RecordMetadata>> sent = IntStream.range(0, EVENTS)
        .mapToObj(i -> hookline.producer.send(new ProducerRecord<>(hookline.topics.events().name(), key, json)))
        .toList();
    hookline.producer.flush();
    return sent.get(sent.size() - 1).get();
  }

  private static List<FailedExecution> failedOf(Set<String> webhookIds) {
    return hookline.deadLetters.values(f -> webhookIds.contains(f.getWebhookId()));
  }
}
