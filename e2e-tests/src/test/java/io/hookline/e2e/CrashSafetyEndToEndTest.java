package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No execution is lost when the dispatcher and the retry-scheduler crash. Both are real processes
 * killed with SIGKILL while events are flowing and retries are pending, then started again. Every
 * execution must end delivered (a 2xx seen by the receiver) or dead-lettered; duplicates are allowed
 * only as at-least-once re-sends of the same execution (same {@code webhook-id}).
 *
 * <p>Each service runs with a stable {@code HOOKLINE_INSTANCE_ID} (static membership), so a
 * restarted process takes its partitions back at once instead of after the 45 s session timeout
 * of the killed one: the query API is killed and restarted too, and each restart must be ready
 * (partitions assigned, views running) within {@link #RESUME_BOUND} of asking its group. At the
 * end each service is stopped cleanly (SIGTERM) and must have left its consumer group within
 * {@link #LEAVE_BOUND}, Kafka Streams included.
 */
@EndToEndTest
@Lanes.Busy
class CrashSafetyEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "acme";
  private static final int EVENTS = 60;
  /**
   * From a restarted process waiting for its consumer group (its readiness probe says so) to ready:
   * partitions assigned, views running. A new dynamic member would wait for the killed one's
   * session timeout (45 s); a static member rejoins in well under a second. Measured from there
   * rather than from the process start, which on a loaded machine took 30 s of JVM start-up and
   * loading on its own; both figures are printed.
   */
  private static final Duration RESUME_BOUND = Duration.ofSeconds(10);
  /** From a clean stop to the group without the member; far below the 45 s session timeout. */
  private static final Duration LEAVE_BOUND = Duration.ofSeconds(10);

  @Test
  void killingEveryServiceLosesNoExecutionAndEachRestartResumesAtOnce() throws Exception {
    Map<String, AtomicInteger> triesByExecution = new ConcurrentHashMap<>();
    Set<String> deliveredEventIds = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicateDeliveries = new AtomicInteger();
    List<String> resumes = new ArrayList<>();
    try (WebhookReceiver receiver = WebhookReceiver.start();
        RunningHookline hookline = RunningHookline.start(KAFKA.broker(), "2s,2s,2s", RunningHookline.logDir("crash"), Map.of());
        var producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
        var deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps())) {
      // Flaky endpoint: the first attempt of every execution fails, the next ones succeed.
      receiver.respond("/flaky", r -> {
        int tries = triesByExecution.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
        if (tries == 1) {
          return WebhookReceiver.status(500);
        }
        String eventId = EndToEnd.read(r.bodyText()).get("id").asText();
        if (!deliveredEventIds.add(eventId)) {
          duplicateDeliveries.incrementAndGet();
        }
        return WebhookReceiver.status(200);
      });
      receiver.answer("/dead", WebhookReceiver.status(500));
      EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/flaky"), List.of("order.created"));
      String deadWebhook = EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/dead"), List.of("order.created")).get("id").asText();

      List<String> eventIds = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        eventIds.add(UUID.randomUUID().toString());
      }
      AtomicInteger next = new AtomicInteger();
      ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
      CompletableFuture<String> schedulerResumed = null;
      CompletableFuture<String> queryApiResumed = null;
      publisher.scheduleAtFixedRate(() -> {
        int i = next.getAndIncrement();
        if (i < EVENTS) {
          try {
            EndToEnd.publish(producer, hookline, PORTAL, eventIds.get(i), "order.created");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      try {
        // Crash the dispatcher while first attempts and retries are in flight.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> deliveredEventIds.size() >= 5);
        hookline.killDispatcher();
        hookline.startDispatcher();
        resumes.add(resumed(hookline, RunningHookline.DISPATCHER));
        // Crash the scheduler while retries wait in it.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> next.get() >= EVENTS * 2 / 3);
        hookline.killScheduler();
        hookline.killQueryApi();
        hookline.startScheduler();
        hookline.startQueryApi();
        // Both measured while the test goes on; neither is killed again.
        schedulerResumed = CompletableFuture.supplyAsync(() -> resumed(hookline, RunningHookline.SCHEDULER));
        queryApiResumed = CompletableFuture.supplyAsync(() -> resumed(hookline, RunningHookline.QUERY_API));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> next.get() >= EVENTS);
        // And the dispatcher once more, with the last retries pending.
        hookline.killDispatcher();
        hookline.startDispatcher();
        resumes.add(resumed(hookline, RunningHookline.DISPATCHER));
      } finally {
        publisher.shutdownNow();
      }

      // Every execution ends: the flaky webhook's delivered, the dead webhook's dead-lettered.
      Awaitility.await("every execution delivered or dead-lettered").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> deliveredEventIds.containsAll(eventIds)
              && deadLetters.values(d -> d.getWebhookId().equals(deadWebhook)).stream()
                  .map(d -> d.getEvent().getId()).collect(java.util.stream.Collectors.toSet()).containsAll(eventIds));
      List<FailedExecution> dead = deadLetters.values(d -> d.getWebhookId().equals(deadWebhook));
      assertThat(dead).allSatisfy(d -> assertThat(d.getNumberOfRetries()).isEqualTo(3));
      // Re-sends after a crash reuse the execution id, so receivers can de-duplicate them.
      assertThat(receiver.requests("/flaky")).allSatisfy(r -> assertThat(triesByExecution).containsKey(r.header("webhook-id")));
      assertThat(triesByExecution).hasSize(EVENTS);
      resumes.add(schedulerResumed.join());
      resumes.add(queryApiResumed.join());
      System.out.printf("crash test: %d executions, %d duplicate deliveries, %d dead letters for %d events; resumed %s%n",
          EVENTS * 2, duplicateDeliveries.get(), dead.size(), EVENTS, resumes);

      // A clean stop (SIGTERM) leaves the group at once, static member or not, Kafka Streams included:
      // no member is left to sit out the 45 s session timeout holding the partitions.
      try (Admin admin = KAFKA.broker().admin()) {
        for (String service : List.of(RunningHookline.QUERY_API, RunningHookline.DISPATCHER, RunningHookline.SCHEDULER)) {
          assertThat(hookline.stop(service)).as(service + " stops on SIGTERM").isTrue();
          long stopped = System.nanoTime();
          String group = hookline.groupId(service);
          Awaitility.await(group + " left").atMost(LEAVE_BOUND).pollInterval(Duration.ofMillis(100))
              .until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty());
          System.out.printf("crash test: %s stopped cleanly, its group empty %d ms after it exited%n",
              service.substring(service.lastIndexOf('.') + 1), Duration.ofNanos(System.nanoTime() - stopped).toMillis());
        }
      }
    }
  }

  /** Waits until the restarted {@code service} is ready and checks it took less than {@link #RESUME_BOUND}. */
  private static String resumed(RunningHookline hookline, String service) {
    RunningHookline.Readiness took = hookline.awaitServiceReady(service, Duration.ofSeconds(120));
    String name = service.substring(service.lastIndexOf('.') + 1);
    String figures = name + " ready " + took.fromStart().toMillis() + " ms after its start, "
        + took.fromJoining().toMillis() + " ms after it joined its group";
    System.out.println("crash test: " + figures);
    assertThat(took.fromJoining()).as(figures).isLessThan(RESUME_BOUND);
    return figures;
  }
}
