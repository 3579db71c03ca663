package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook with {@code "ordering": "key"} receives the events of each key in publish order,
 * across retries, dead letters and two SIGKILLs of the dispatcher. Its receiver fails at random
 * (a few percent of answers are 500, each retried through the retry topics) and always fails a
 * few events ("poison", dead-lettered after their retries). At the receiver, per key: every event
 * is delivered (a 2xx) or dead-lettered, and no event's first successful delivery comes before
 * every earlier event of its key was delivered or dead-lettered (its last failed attempt seen);
 * re-sends after a crash are allowed, always with the same {@code webhook-id}. An unordered webhook
 * on the same events gets every one of them. Afterwards the ordered log's consumer group has
 * committed every partition to its end.
 */
@EndToEndTest
@Lanes.Busy
class OrderingEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "acme";
  private static final int EVENTS = 10_000;
  private static final int KEYS = 100;
  /** Share of answers that are a 500 (the retry is then in order too). */
  private static final double FAILURE_RATE = 0.05;
  /** Every event whose sequence number is a multiple of this is always refused: dead-lettered after its retries. */
  private static final int POISON_EVERY = 997;
  private static final String RETRY_DELAYS = "500ms,500ms,500ms";

  /** One answer of the ordered receiver, numbered in the order answered. */
  private record Answer(long order, int seq, String webhookId, boolean ok) {}

  @Test
  void eachKeyIsDeliveredInPublishOrderAcrossRetriesDeadLettersAndCrashes() throws Exception {
    long started = System.nanoTime();
    AtomicLong order = new AtomicLong();
    List<Answer> answers = new CopyOnWriteArrayList<>();
    Set<String> unorderedDelivered = ConcurrentHashMap.newKeySet();
    AtomicInteger orderedDelivered = new AtomicInteger();
    Set<Integer> delivered = ConcurrentHashMap.newKeySet();
    try (WebhookReceiver receiver = WebhookReceiver.start();
        RunningHookline hookline = RunningHookline.start(KAFKA.broker(), RETRY_DELAYS, RunningHookline.logDir("ordering"),
            // One request in flight per key of the ordered webhook, all keys at once.
            Map.of("HOOKLINE_MAX_IN_FLIGHT_PER_WEBHOOK", String.valueOf(KEYS)));
        var producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
        var deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps())) {
      receiver.respond("/ordered", r -> {
        int seq = EndToEnd.read(r.bodyText()).get("payload").get("seq").asInt();
        boolean ok = seq % POISON_EVERY != 0 && ThreadLocalRandom.current().nextDouble() >= FAILURE_RATE;
        // Numbered before answering: the next event of the key is sent only after this answer.
        answers.add(new Answer(order.incrementAndGet(), seq, r.header("webhook-id"), ok));
        if (ok && delivered.add(seq)) {
          orderedDelivered.incrementAndGet();
        }
        return WebhookReceiver.status(ok ? 200 : 500);
      });
      receiver.respond("/unordered", r -> {
        unorderedDelivered.add(EndToEnd.read(r.bodyText()).get("id").asText());
        return WebhookReceiver.status(200);
      });
      String ordered = createOrderedWebhook(hookline, receiver.url("/ordered"));
      EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/unordered"), List.of("order.created"));

      List<String> ids = new ArrayList<>(EVENTS);
      Thread publisher = new Thread(() -> {
        for (int i = 0; i < EVENTS; i++) {
          String id = UUID.randomUUID().toString();
          synchronized (ids) {
            ids.add(id);
          }
          producer.send(event(hookline, id, i));
          if (i % 1_000 == 999) {
            producer.flush(); // about 1,000 events at a time, so the crashes happen while they flow
          }
        }
        producer.flush();
      }, "ordering-publisher");
      publisher.start();
      Duration kill1;
      Duration kill2;
      long orderAtKill2;
      try {
        Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> orderedDelivered.get() >= EVENTS / 5);
        kill1 = Duration.ofNanos(System.nanoTime() - started);
        hookline.killDispatcher();
        hookline.startDispatcher();
        Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> orderedDelivered.get() >= EVENTS * 3 / 5);
        kill2 = Duration.ofNanos(System.nanoTime() - started);
        hookline.killDispatcher();
        orderAtKill2 = order.get();
        hookline.startDispatcher();
      } finally {
        publisher.join(Duration.ofMinutes(2).toMillis());
      }

      Awaitility.await("every ordered event delivered or dead-lettered, every unordered one delivered")
          .atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
          .until(() -> unorderedDelivered.size() == EVENTS
              && delivered.size() + deadSeqs(deadLetters, ordered).size() >= EVENTS
              && allEnded(delivered, deadSeqs(deadLetters, ordered)));
      Duration finished = Duration.ofNanos(System.nanoTime() - started);

      Map<Integer, FailedExecution> dead = new HashMap<>();
      for (FailedExecution d : deadLetters.values(d -> d.getWebhookId().equals(ordered))) {
        dead.merge(seqOf(d), d, (a, b) -> a.getNumberOfRetries() <= b.getNumberOfRetries() ? a : b);
      }
      List<Answer> all = new ArrayList<>(answers);
      int duplicates = checkOrder(all, dead);
      assertThat(unorderedDelivered).containsExactlyInAnyOrderElementsOf(ids);
      for (int seq = 0; seq < EVENTS; seq += POISON_EVERY) {
        assertThat(dead).as("poison event %d dead-lettered", seq).containsKey(seq);
      }
      long failures = all.stream().filter(a -> !a.ok()).count();
      // The restarted dispatcher resumed from the ordered log's committed offset, not from its start
      // (which would re-send everything delivered before): only what was read after the oldest
      // execution still unfinished when it was killed is sent again.
      Map<Integer, Long> firstSuccess = new HashMap<>();
      all.stream().filter(Answer::ok).forEach(a -> firstSuccess.merge(a.seq(), a.order(), Math::min));
      long deliveredBeforeKill2 = firstSuccess.values().stream().filter(o -> o <= orderAtKill2).count();
      long resentAfterKill2 = all.stream()
          .filter(a -> a.ok() && a.order() > orderAtKill2 && firstSuccess.get(a.seq()) <= orderAtKill2).count();
      assertThat(resentAfterKill2).as("re-sends after the second restart, of %d delivered before", deliveredBeforeKill2)
          .isLessThan(deliveredBeforeKill2);
      assertOrderedLogCommitted(hookline);
      System.out.printf("ordering test: %d events over %d keys, %d requests to the ordered webhook, %d failures injected "
          + "(500), %d dead letters, %d duplicate deliveries (re-sends; %d after the second restart, of %d delivered "
          + "before it); dispatcher killed at %d s and %d s, all ended at %d s, test took %d s%n", EVENTS, KEYS,
          all.size(), failures, dead.size(), duplicates, resentAfterKill2, deliveredBeforeKill2,
          kill1.toSeconds(), kill2.toSeconds(), finished.toSeconds(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
  }

  /** Creates the ordered webhook through the API and returns its id. */
  private static String createOrderedWebhook(RunningHookline hookline, String url) throws Exception {
    String body = EndToEnd.JSON.writeValueAsString(Map.of("url", url, "events", List.of("order.created"), "ordering", "key"));
    var response = hookline.api("POST", "/api/v2/" + PORTAL + "/webhooks", PORTAL, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode created = EndToEnd.read(response.body());
    assertThat(created.path("ordering").asText()).as(response.body()).isEqualTo("key");
    return created.get("id").asText();
  }

  /** Event {@code seq}, its key its entity id and its record key. */
  private static ProducerRecord<String, byte[]> event(RunningHookline hookline, String id, int seq) {
    String key = "k" + (seq % KEYS);
    String json;
    try {
      json = EndToEnd.JSON.writeValueAsString(Map.of("id", id, "portal", PORTAL, "event", "order.created",
          "entity", "order", "entity_id", key, "payload", Map.of("key", key, "seq", seq)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new ProducerRecord<>(hookline.topics().events().name(), key, json.getBytes(StandardCharsets.UTF_8));
  }

  private static int seqOf(FailedExecution d) {
    return EndToEnd.read(d.getEvent().getPayload()).get("seq").asInt();
  }

  private static Set<Integer> deadSeqs(TopicRecording<String, FailedExecution> deadLetters, String webhookId) {
    return deadLetters.values(d -> d.getWebhookId().equals(webhookId)).stream().map(OrderingEndToEndTest::seqOf)
        .collect(Collectors.toSet());
  }

  private static boolean allEnded(Set<Integer> delivered, Set<Integer> dead) {
    for (int seq = 0; seq < EVENTS; seq++) {
      if (!delivered.contains(seq) && !dead.contains(seq)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks, per key, that each event's first successful delivery came after every earlier event of
   * the key ended: delivered (its first success) or dead-lettered (after as many failed attempts as
   * its dead letter counts); and that every request of an event carried one {@code webhook-id}.
   * Returns how many successful deliveries were re-sends.
   */
  private static int checkOrder(List<Answer> all, Map<Integer, FailedExecution> dead) {
    Map<Integer, List<Answer>> bySeq = all.stream().collect(Collectors.groupingBy(Answer::seq));
    int duplicates = 0;
    for (List<Answer> answers : bySeq.values()) {
      Set<String> webhookIds = new HashSet<>();
      answers.forEach(a -> webhookIds.add(a.webhookId()));
      assertThat(webhookIds).as("webhook-ids of event %d", answers.get(0).seq()).hasSize(1);
      duplicates += (int) Math.max(0, answers.stream().filter(Answer::ok).count() - 1);
    }
    for (int key = 0; key < KEYS; key++) {
      long earlierEnded = 0; // the latest point by which every earlier event of the key had ended
      int earlierSeq = -1;
      for (int seq = key; seq < EVENTS; seq += KEYS) {
        List<Answer> answers = bySeq.getOrDefault(seq, List.of());
        long firstSuccess = answers.stream().filter(Answer::ok).mapToLong(Answer::order).min().orElse(Long.MAX_VALUE);
        if (firstSuccess != Long.MAX_VALUE) {
          assertThat(firstSuccess).as("event %d (key k%d) first delivered after event %d ended", seq, key, earlierSeq)
              .isGreaterThan(earlierEnded);
        }
        long ended = firstSuccess;
        FailedExecution d = dead.get(seq);
        if (d != null) {
          int attempts = d.getNumberOfRetries() + 1;
          List<Answer> failed = answers.stream().filter(a -> !a.ok()).toList();
          assertThat(failed).as("failed attempts of dead-lettered event %d", seq).hasSizeGreaterThanOrEqualTo(attempts);
          ended = Math.min(ended, failed.get(attempts - 1).order());
        }
        assertThat(ended).as("event %d delivered or dead-lettered", seq).isLessThan(Long.MAX_VALUE);
        earlierEnded = Math.max(earlierEnded, ended);
        earlierSeq = seq;
      }
    }
    return duplicates;
  }

  /** Every execution ended, so the ordered log's group commits each partition to its end. */
  private static void assertOrderedLogCommitted(RunningHookline hookline) {
    String group = hookline.groupId(RunningHookline.DISPATCHER) + ".ordered";
    String topic = hookline.topics().ordered().name();
    try (Admin admin = KAFKA.broker().admin()) {
      Awaitility.await("the ordered log committed to its end").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < RunningHookline.PARTITIONS; p++) {
              latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            Map<TopicPartition, Long> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            ends.values().removeIf(end -> end == 0);
            assertThat(ends).isNotEmpty();
            assertThat(committed).containsAllEntriesOf(ends);
          });
    }
  }
}
