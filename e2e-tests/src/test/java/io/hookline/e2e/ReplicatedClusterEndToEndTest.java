package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaCluster;
import io.hookline.testing.PrometheusText;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost when the Kafka cluster under Hookline loses a broker, gets it back, and loses its
 * active controller. Three brokers and three separate controllers ({@link KafkaCluster}); every
 * topic replicated 3 times with {@code min.insync.replicas=2}. 10,000 events flow at a steady rate
 * to 100 webhooks, each event to exactly one of them; a tenth of the webhooks answer 500, so their
 * executions are retried after 1 s three times and then dead-lettered. While events flow, the
 * broker coordinating the dispatcher's consumer group is stopped, later started again on its port,
 * then the active controller is stopped. Every execution must end delivered or dead-lettered, the
 * failed-executions view must list each dead-lettered one exactly once, and a receiver may see an
 * execution twice only as a re-send with the same {@code webhook-id}.
 */
@Tag("slow")
@EndToEndTest
@Lanes.Busy
class ReplicatedClusterEndToEndTest {

  private static final String PORTAL = "acme";
  private static final int WEBHOOKS = 100;
  private static final int EVENTS = 10_000;
  /** Every tenth webhook answers 500. */
  private static final int FAILING_EVERY = 10;
  /** 250 events/s: 10,000 in 40 s. */
  private static final int EVENTS_PER_TICK = 5;
  private static final long TICK_MS = 20;

  @Test
  void brokerStopAndRestartAndControllerFailoverLoseNoExecution() throws Exception {
    Phases phases = new Phases();
    Receivers receivers = new Receivers();
    try (KafkaCluster cluster = phases.mark("cluster started", KafkaCluster.start());
        WebhookReceiver receiver = WebhookReceiver.start();
        RunningHookline hookline = phases.mark("services started", RunningHookline.startReplicated(cluster, (short) 3,
            (short) 2, "1s,1s,1s", RunningHookline.logDir("replicated-cluster"), Map.of()));
        var producer = new KafkaProducer<>(producerProps(cluster), new StringSerializer(), new ByteArraySerializer());
        var deadLetters = TopicRecording.of(hookline.topics().deadLetter(), cluster.clientProps())) {
      Map<String, Integer> webhookIndex = createWebhooks(hookline, receiver, receivers);
      long flowStarted = phases.mark("webhooks created");
      Publisher publisher = new Publisher(producer, hookline.topics().events().name());
      ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
      ticks.scheduleAtFixedRate(publisher::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
      List<String> faults = new ArrayList<>();
      try {
        awaitAcked(publisher, EVENTS / 4);
        int broker = dispatcherCoordinator(cluster, hookline.dispatcherGroupId());
        faults.add(fault(flowStarted, "stop broker " + broker, () -> cluster.stopBroker(broker)));
        awaitAcked(publisher, EVENTS / 2);
        faults.add(fault(flowStarted, "start broker " + broker, () -> cluster.startBroker(broker)));
        awaitAcked(publisher, EVENTS * 3 / 4);
        faults.add(fault(flowStarted, "stop the active controller", cluster::stopActiveController));
        awaitAcked(publisher, EVENTS);
      } finally {
        ticks.shutdownNow();
      }
      long published = phases.mark("events published");
      assertThat(publisher.errors).as("events the producer could not write").isEmpty();

      // Every execution ends: delivered at its receiver, or dead-lettered.
      Awaitility.await("every execution delivered or dead-lettered").atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> unfinished(publisher, receivers, deadLetters(deadLetters, webhookIndex)).isEmpty());
      long drained = phases.mark("executions ended");
      Map<String, FailedExecution> dead = deadLetters(deadLetters, webhookIndex);
      assertThat(dead.keySet()).as("dead-lettered executions are exactly those of the failing webhooks")
          .allSatisfy(key -> assertThat(webhookOf(key) % FAILING_EVERY).isZero())
          .hasSize(EVENTS / FAILING_EVERY);
      assertThat(dead.values()).allSatisfy(d -> assertThat(d.getNumberOfRetries()).isEqualTo(3));
      assertThat(receivers.mismatches.get()).as("one webhook-id per execution, never another").isZero();

      // The failed-executions view lists each dead-lettered execution once.
      for (Map.Entry<String, Integer> webhook : webhookIndex.entrySet()) {
        if (webhook.getValue() % FAILING_EVERY != 0) {
          continue;
        }
        Set<String> expected = dead.values().stream().filter(d -> d.getWebhookId().equals(webhook.getKey()))
            .map(FailedExecution::getExecutionId).collect(Collectors.toSet());
        List<String> listed = awaitListed(hookline, webhook.getKey(), expected.size());
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
      }
      assertMinInsyncReplicas(cluster, hookline);
      phases.mark("view checked");

      // A healthy webhook sees an execution again after an attempt that failed on Hookline's side
      // (no answer within the delivery timeout, a dropped connection): the dispatcher's counters say how many.
      PrometheusText metrics = new PrometheusText(hookline.monitoring(RunningHookline.DISPATCHER, "/metrics").body());
      Map<String, Long> failedAttempts = new TreeMap<>();
      for (String outcome : List.of("TIMEOUT", "CONNECTION_ERROR", "CIRCUIT_OPEN")) {
        failedAttempts.put(outcome, (long) metrics.valueOrZero("hookline_delivery_attempts_total", Map.of("outcome", outcome)));
      }
      System.out.printf("replicated cluster: %d executions (%d delivered, %d dead-lettered); %d duplicate deliveries, "
              + "%d re-sent attempts to failing webhooks (attempts %s; %d requests cut off mid-body); faults %s; "
              + "published in %d s, last execution ended %d s later; phases %s%n",
          EVENTS, receivers.delivered.size(), dead.size(), receivers.duplicateDeliveries(), receivers.extraFailedAttempts(),
          failedAttempts, receivers.incomplete.get(), faults, seconds(published - flowStarted), seconds(drained - published),
          phases);
    }
  }

  /** Seconds from the start of the test to each named point, for the report. */
  private static final class Phases {
    private final long start = System.nanoTime();
    private final List<String> marks = new ArrayList<>();

    long mark(String what) {
      long now = System.nanoTime();
      marks.add(String.format("%s %.1f s", what, (now - start) / 1e9));
      return now;
    }

    <T> T mark(String what, T value) {
      mark(what);
      return value;
    }

    @Override
    public String toString() {
      return marks.toString();
    }
  }

  /** The webhooks, created through the API a few at a time, by id; webhook {@code w} gets event {@code load.e<w>}. */
  private static Map<String, Integer> createWebhooks(RunningHookline hookline, WebhookReceiver receiver, Receivers receivers)
      throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int w = 0; w < WEBHOOKS; w++) {
        int index = w;
        boolean failing = w % FAILING_EVERY == 0;
        receiver.respond("/w" + w, r -> receivers.record(index, r, failing));
        ids.add(creators.submit(() -> EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/w" + index),
            List.of(eventName(index))).get("id").asText()));
      }
      Map<String, Integer> webhookIndex = new HashMap<>();
      for (int w = 0; w < WEBHOOKS; w++) {
        webhookIndex.put(ids.get(w).get(60, TimeUnit.SECONDS), w);
      }
      return webhookIndex;
    } finally {
      creators.shutdownNow();
    }
  }

  private static String eventName(int webhook) {
    return "load.e" + webhook;
  }

  /** An execution: webhook index and event id. */
  private static String execution(int webhook, String eventId) {
    return webhook + "/" + eventId;
  }

  private static int webhookOf(String execution) {
    return Integer.parseInt(execution.substring(0, execution.indexOf('/')));
  }

  private static Map<String, Object> producerProps(KafkaCluster cluster) {
    Map<String, Object> props = new HashMap<>(cluster.clientProps());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return props;
  }

  private static void awaitAcked(Publisher publisher, int n) {
    Awaitility.await(n + " events acknowledged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
        .until(() -> publisher.acked.get() >= n);
  }

  private static String fault(long since, String what, Runnable action) {
    long at = System.nanoTime();
    action.run();
    return String.format("%s at %.1f s (took %.1f s)", what, (at - since) / 1e9, (System.nanoTime() - at) / 1e9);
  }

  private static long seconds(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(nanos);
  }

  /** The broker coordinating the dispatcher's consumer group: losing it moves the group's coordination. */
  private static int dispatcherCoordinator(KafkaCluster cluster, String groupId) throws Exception {
    try (Admin admin = cluster.admin()) {
      return admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId).coordinator().id();
    }
  }

  /** Dead letters by execution (webhook index and event id); a re-written one counts once. */
  private static Map<String, FailedExecution> deadLetters(TopicRecording<String, FailedExecution> recording,
      Map<String, Integer> webhookIndex) {
    Map<String, FailedExecution> byExecution = new HashMap<>();
    for (FailedExecution d : recording.values(d -> true)) {
      byExecution.put(execution(webhookIndex.get(d.getWebhookId()), d.getEvent().getId()), d);
    }
    return byExecution;
  }

  private static List<String> unfinished(Publisher publisher, Receivers receivers, Map<String, FailedExecution> dead) {
    List<String> open = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      String execution = execution(i % WEBHOOKS, publisher.eventIds.get(i));
      if (!receivers.delivered.contains(execution) && !dead.containsKey(execution)) {
        open.add(execution);
      }
    }
    return open;
  }

  /** Pages through the webhook's failed executions until at least {@code expected} are listed. */
  private static List<String> awaitListed(RunningHookline hookline, String webhookId, int expected) {
    List<List<String>> last = new ArrayList<>(List.of(List.of()));
    Awaitility.await("failed executions of " + webhookId + " in the view").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          List<String> listed = listFailed(hookline, webhookId);
          if (listed != null) {
            last.set(0, listed);
          }
          return listed != null && listed.size() >= expected;
        });
    return last.get(0);
  }

  /** Every page of {@code GET .../executions}, following {@code next_cursor}; null while the view answers 503. */
  private static List<String> listFailed(RunningHookline hookline, String webhookId) throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      String path = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions?limit=50"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      var response = hookline.api("GET", path, PORTAL, null);
      if (response.statusCode() == 503) {
        return null;
      }
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode page = EndToEnd.read(response.body());
      page.get("data").forEach(item -> ids.add(item.get("id").asText()));
      cursor = page.hasNonNull("next_cursor") && page.get("data").size() > 0 ? page.get("next_cursor").asText() : null;
    } while (cursor != null);
    return ids;
  }

  /** Hookline's topics and the query views' changelogs: replicated 3 times, 2 of them in sync. */
  private static void assertMinInsyncReplicas(KafkaCluster cluster, RunningHookline hookline) throws Exception {
    try (Admin admin = cluster.admin()) {
      List<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(n -> n.startsWith(hookline.topics().settings().prefix()) || n.startsWith(hookline.queryApplicationId()))
          .toList();
      assertThat(names).contains(hookline.topics().attempts().name())
          .anySatisfy(n -> assertThat(n).startsWith(hookline.queryApplicationId()).endsWith("-changelog"));
      List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      assertThat(configs).allSatisfy((topic, config) ->
          assertThat(config.get("min.insync.replicas").value()).as(topic.name()).isEqualTo("2"));
      assertThat(admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values())
          .allSatisfy(d -> assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).as(d.name()).hasSize(3)));
    }
  }

  /** Publishes the events in order, a few per tick, each keyed by its id (spread over partitions). */
  private static final class Publisher {
    final List<String> eventIds = new ArrayList<>();
    final AtomicInteger acked = new AtomicInteger();
    final List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private int next;

    Publisher(KafkaProducer<String, byte[]> producer, String topic) {
      this.producer = producer;
      this.topic = topic;
      for (int i = 0; i < EVENTS; i++) {
        eventIds.add(UUID.randomUUID().toString());
      }
    }

    void tick() {
      for (int n = 0; n < EVENTS_PER_TICK && next < EVENTS; n++, next++) {
        String id = eventIds.get(next);
        byte[] json = event(id, eventName(next % WEBHOOKS));
        producer.send(new ProducerRecord<>(topic, id, json), (metadata, e) -> {
          if (e != null) {
            errors.add(e);
          } else {
            acked.incrementAndGet();
          }
        });
      }
    }

    private static byte[] event(String id, String name) {
      try {
        return EndToEnd.JSON.writeValueAsBytes(Map.of("id", id, "portal", PORTAL, "event", name,
            "entity", "conversation", "entity_id", id, "payload", Map.of("n", id)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** What the receivers saw: each execution by its {@code webhook-id}, deliveries, and re-sends. */
  private static final class Receivers {
    final Set<String> delivered = ConcurrentHashMap.newKeySet();
    final AtomicInteger mismatches = new AtomicInteger();
    private final Map<String, String> executionIds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    /** Requests whose body ended early: the dispatcher gave up on them (its deadline) while sending. */
    final AtomicInteger incomplete = new AtomicInteger();

    WebhookReceiver.Behavior record(int webhook, WebhookReceiver.Request r, boolean fails) {
      String eventId = eventId(r);
      if (eventId == null) {
        incomplete.incrementAndGet();
        return WebhookReceiver.status(400);
      }
      String execution = execution(webhook, eventId);
      String webhookId = r.header("webhook-id");
      if (webhookId == null || !webhookId.equals(executionIds.computeIfAbsent(execution, e -> webhookId))) {
        mismatches.incrementAndGet();
      }
      requests.computeIfAbsent(execution, e -> new AtomicInteger()).incrementAndGet();
      failing.put(execution, fails);
      if (fails) {
        return WebhookReceiver.status(500);
      }
      delivered.add(execution);
      return WebhookReceiver.status(200);
    }

    private static String eventId(WebhookReceiver.Request r) {
      try {
        JsonNode id = EndToEnd.JSON.readTree(r.body()).get("id");
        return id == null ? null : id.asText();
      } catch (IOException e) {
        return null;
      }
    }

    /** Requests to healthy webhooks beyond the first of each execution. */
    int duplicateDeliveries() {
      return requests.entrySet().stream().filter(e -> !failing.get(e.getKey()))
          .mapToInt(e -> e.getValue().get() - 1).sum();
    }

    /** Requests to failing webhooks beyond the four attempts of each execution. */
    int extraFailedAttempts() {
      return requests.entrySet().stream().filter(e -> failing.get(e.getKey()))
          .mapToInt(e -> Math.max(0, e.getValue().get() - 4)).sum();
    }
  }
}
