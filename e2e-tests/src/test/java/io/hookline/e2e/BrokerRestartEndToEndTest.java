package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.FailedExecution;
import io.hookline.local.LocalKafka;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.Folders;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away and comes back under running services, and nothing is lost. The broker is
 * the local run's ({@link LocalKafka}: a real Kafka process), stopped with SIGTERM while first
 * attempts' outcomes are being written and retries wait in the retry-scheduler, kept away while
 * more events are published (they wait in the test's producer) and retries come due, then started
 * again on the same port with the same log dirs. No service is restarted: the same three processes
 * run throughout. Every execution ends delivered or dead-lettered, and the failed-executions view
 * lists each dead-lettered one exactly once.
 */
@EndToEndTest
@Lanes.Busy
class BrokerRestartEndToEndTest {

  private static final String PORTAL = "acme";
  /** Events published before the broker stops, and as many while it is away. */
  private static final int EVENTS_EACH_SIDE = 20;
  /** How long the broker stays away once stopped (its stop and start come on top). */
  private static final Duration AWAY = Duration.ofSeconds(10);
  private static final String EVENT_TYPE = "order.created";
  /** Generous: on a machine under heavy load the broker took over a minute to start. */
  private static final Duration BROKER_START = Duration.ofSeconds(180);

  @Test
  void servicesRideOutABrokerRestartAndLoseNoExecution() throws Exception {
    Path logDir = RunningHookline.logDir("broker-restart");
    Path kafkaDir = Files.createTempDirectory("hookline-kafka-");
    LocalKafka kafka = LocalKafka.start(kafkaDir, 0, logDir.resolve("kafka-0.log"), BROKER_START);
    Map<String, AtomicInteger> triesByExecution = new ConcurrentHashMap<>();
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicateDeliveries = new AtomicInteger();
    Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    // The test's producer outlasts the outage, however long a loaded machine makes it.
    Map<String, Object> producerProps = new HashMap<>(client);
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) BROKER_START.multipliedBy(2).toMillis());
    producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) BROKER_START.multipliedBy(2).toMillis());
    try (WebhookReceiver receiver = WebhookReceiver.start();
        // Retries come due while the broker is away: the scheduler's transactions meet the outage.
        RunningHookline hookline = RunningHookline.start(kafka.bootstrapServers(), "3s,3s", logDir, Map.of());
        var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        var deadLetters = TopicRecording.of(hookline.topics().deadLetter(), client)) {
      // The first attempt of each execution fails, the retry succeeds; "/dead" always fails.
      receiver.respond("/flaky", r -> {
        if (triesByExecution.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet() == 1) {
          return WebhookReceiver.status(500);
        }
        if (!delivered.add(EndToEnd.read(r.bodyText()).get("id").asText())) {
          duplicateDeliveries.incrementAndGet();
        }
        return WebhookReceiver.status(200);
      });
      receiver.answer("/dead", WebhookReceiver.status(500));
      EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/flaky"), List.of(EVENT_TYPE));
      String deadWebhook = EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/dead"), List.of(EVENT_TYPE))
          .get("id").asText();
      Map<String, Long> pids = pids(hookline);

      List<String> eventIds = new ArrayList<>();
      for (int i = 0; i < EVENTS_EACH_SIDE; i++) {
        String id = UUID.randomUUID().toString();
        eventIds.add(id);
        EndToEnd.publish(producer, hookline, PORTAL, id, EVENT_TYPE);
      }
      // Stop the broker once every first attempt was made: their outcomes and retries are in flight.
      Awaitility.await("first attempts").atMost(Duration.ofSeconds(60))
          .until(() -> receiver.requests("/dead").size() >= EVENTS_EACH_SIDE);
      Instant stopping = Instant.now();
      assertThat(kafka.stop()).as("the broker stops on SIGTERM").isTrue();
      Instant stopped = Instant.now();
      // Published while the broker is away, from a thread of their own: with every known broker gone
      // the client forgets the topic's partitions (metadata.recovery.strategy=rebootstrap), so each
      // send waits for the broker to come back.
      List<String> whileAway = new ArrayList<>();
      for (int i = 0; i < EVENTS_EACH_SIDE; i++) {
        whileAway.add(UUID.randomUUID().toString());
      }
      eventIds.addAll(whileAway);
      CompletableFuture<Void> published = CompletableFuture.runAsync(() -> {
        try {
          for (String id : whileAway) {
            EndToEnd.publish(producer, hookline, PORTAL, id, EVENT_TYPE);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // Away for a while: every service keeps running (none exits on a missing broker).
      Awaitility.await("services alive while the broker is away").during(AWAY).atMost(AWAY.plusSeconds(5))
          .until(() -> pids.keySet().stream().allMatch(name -> process(hookline, name).isAlive()));
      kafka = LocalKafka.start(kafkaDir, kafka.port(), logDir.resolve("kafka-1.log"), BROKER_START);
      Instant back = Instant.now();
      published.get(BROKER_START.toMillis(), TimeUnit.MILLISECONDS);

      Awaitility.await("every execution delivered or dead-lettered").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> delivered.containsAll(eventIds)
              && deadLetterEventIds(deadLetters, deadWebhook).containsAll(eventIds));
      // The failed-executions view: each dead-lettered execution exactly once.
      String executions = "/api/v2/" + PORTAL + "/webhooks/" + deadWebhook + "/executions?limit=50";
      Set<String> deadExecutions = deadLetters.values(d -> d.getWebhookId().equals(deadWebhook)).stream()
          .map(FailedExecution::getExecutionId).collect(Collectors.toSet());
      Awaitility.await("failed view complete").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> listedIds(hookline, executions).size() == deadExecutions.size());
      List<String> listed = listedIds(hookline, executions);
      assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(deadExecutions);
      assertThat(deadExecutions).hasSize(eventIds.size());
      // Re-sends (at-least-once) reuse the execution id; no service was restarted.
      assertThat(receiver.requests("/flaky")).allSatisfy(r -> assertThat(triesByExecution).containsKey(r.header("webhook-id")));
      assertThat(triesByExecution).hasSize(eventIds.size());
      assertThat(pids(hookline)).isEqualTo(pids);
      hookline.awaitReady(Duration.ofSeconds(60));
      System.out.printf("broker restart: %d executions, broker stopping %d ms, away %d ms, %d duplicate deliveries,"
              + " %d dead-letter records for %d dead-lettered executions%n",
          eventIds.size() * 2, Duration.between(stopping, stopped).toMillis(), Duration.between(stopped, back).toMillis(),
          duplicateDeliveries.get(), deadLetters.values(d -> d.getWebhookId().equals(deadWebhook)).size(),
          deadExecutions.size());
    } finally {
      kafka.close();
      Folders.deleteRecursively(kafkaDir);
    }
  }

  private static Set<String> deadLetterEventIds(TopicRecording<String, FailedExecution> deadLetters, String webhook) {
    return deadLetters.values(d -> d.getWebhookId().equals(webhook)).stream()
        .map(d -> d.getEvent().getId()).collect(Collectors.toCollection(HashSet::new));
  }

  private static List<String> listedIds(RunningHookline hookline, String path) throws Exception {
    var answer = hookline.api("GET", path, PORTAL, null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode item : EndToEnd.read(answer.body()).get("data")) {
      ids.add(item.get("id").asText());
    }
    return ids;
  }

  private static Map<String, Long> pids(RunningHookline hookline) {
    Map<String, Long> pids = new HashMap<>();
    for (String service : List.of(RunningHookline.DISPATCHER, RunningHookline.SCHEDULER, RunningHookline.QUERY_API)) {
      pids.put(service, process(hookline, service).pid());
    }
    return pids;
  }

  private static io.hookline.local.ServiceProcess process(RunningHookline hookline, String service) {
    return switch (service) {
      case RunningHookline.DISPATCHER -> hookline.dispatcher();
      case RunningHookline.SCHEDULER -> hookline.scheduler();
      default -> hookline.queryApi();
    };
  }
}
