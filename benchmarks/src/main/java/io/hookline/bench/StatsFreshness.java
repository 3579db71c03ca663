package io.hookline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.Attempt;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.HooklineTopics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * How soon the delivery statistics count what the dispatcher writes: one producer writes attempts of
 * one fresh webhook (portal {@value #PORTAL}, its only webhook) to the attempts topic at a steady
 * {@code freshness-rate} for {@code freshness-seconds}, each created at the moment it is sent, while
 * the webhook's statistics ({@code GET .../webhooks/{id}/stats}, their totals) are read every
 * {@value #POLL_MS} ms. One key, so one partition, and an idempotent producer, so the topic holds
 * the attempts in the order they were sent: when a read counts N attempts, the N-th one sent is
 * counted, and its delay is the time the read's answer arrived minus the time it was sent (an upper
 * bound by the read's own latency). A read that counts none after the first was sent gives the first
 * one's age. Reads go on after the last send until every attempt is counted.
 */
final class StatsFreshness {

  static final String PORTAL = "fresh";
  static final String WEBHOOK_ID = "19369000000000000";
  static final long POLL_MS = 50;

  /**
   * @param delays the delay of each read, from the first send until every attempt was counted
   * @param attempts attempts sent
   * @param sentPerSecond the rate the producer kept, first to last send
   * @param maxBehindMs how far the producer fell behind its schedule at most
   * @param lastCounted from the last send to the first read that counted every attempt
   */
  record Result(LatencySummary delays, int attempts, double sentPerSecond, long maxBehindMs, Duration lastCounted) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URL = "https://hooks-fresh.example.com/salesiq/events";

  private final FailedExecutionsSettings settings;
  private final HooklineTopics topics;
  private final String token;
  private final TimedGets gets = new TimedGets();

  StatsFreshness(FailedExecutionsSettings settings, HooklineTopics topics, Map<String, String> tokens) {
    this.settings = settings;
    this.topics = topics;
    this.token = tokens.get(PORTAL);
  }

  void writeWebhook(FailedExecutionsLoad load, String bootstrapServers, SecretCipher cipher) throws Exception {
    load.writeWebhooks(bootstrapServers, cipher, 1, w -> WEBHOOK_ID, w -> PORTAL);
  }

  Result run(QueryApiInstance instance, String bootstrapServers) throws Exception {
    TimedGets.Target stats = new TimedGets.Target(instance.baseUrl() + "/api/v2/" + PORTAL + "/webhooks/" + WEBHOOK_ID
        + "/stats?interval=1m&from_time=" + (System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(1)), token);
    awaitWebhook(stats);
    int total = settings.freshnessRate() * settings.freshnessSeconds();
    AtomicLongArray sentAt = new AtomicLongArray(total);
    AtomicInteger sent = new AtomicInteger();
    long[] behind = new long[1];
    ExecutorService producing = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-freshness-producer"));
    try {
      Future<Double> sending = producing.submit(() -> send(bootstrapServers, total, sentAt, sent, behind));
      List<Long> delays = new ArrayList<>();
      long next = System.nanoTime();
      long deadline = Long.MAX_VALUE;
      while (true) {
        int sentBefore = sent.get();
        long counted = attempts(gets.get(stats));
        long at = System.nanoTime();
        if (counted > total) {
          throw new IllegalStateException("the statistics count " + counted + " of " + total + " fresh attempts");
        }
        if (counted > 0) {
          delays.add(at - sentAt.get((int) counted - 1));
        } else if (sentBefore > 0) {
          delays.add(at - sentAt.get(0));
        }
        if (counted == total) {
          double rate = sending.get();
          return new Result(LatencySummary.of("freshness", delays.stream().mapToLong(Long::longValue).toArray()),
              total, rate, TimeUnit.NANOSECONDS.toMillis(behind[0]), Duration.ofNanos(at - sentAt.get(total - 1)));
        }
        if (sending.isDone()) {
          sending.get();
          if (deadline == Long.MAX_VALUE) {
            deadline = sentAt.get(total - 1) + settings.loadTimeout().toNanos();
          } else if (at > deadline) {
            throw new IllegalStateException("the statistics counted " + counted + " of " + total
                + " fresh attempts within " + settings.loadTimeout().toSeconds() + " s of the last");
          }
        }
        next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(POLL_MS), System.nanoTime());
        LockSupport.parkNanos(next - System.nanoTime());
      }
    } finally {
      producing.shutdownNow();
    }
  }

  /**
   * Sends {@code total} attempts on schedule, the i-th at {@code i / rate} seconds after the first,
   * recording each send time before the send; returns the rate kept.
   */
  private double send(String bootstrapServers, int total, AtomicLongArray sentAt, AtomicInteger sent, long[] behind)
      throws Exception {
    var topic = topics.attempts();
    Map<String, Object> props = FailedExecutionsLoad.producerProps(bootstrapServers);
    // Each attempt goes out within a millisecond, in order (one partition, idempotent: no reordering on retry).
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    SplittableRandom random = new SplittableRandom(77);
    try (KafkaProducer<String, Attempt> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
        topic.valueSerde().serializer())) {
      FailedExecutionsLoad.Sender sender = new FailedExecutionsLoad.Sender();
      producer.partitionsFor(topic.name()); // the topic's metadata now, not in the first timed send
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * TimeUnit.SECONDS.toNanos(1) / settings.freshnessRate();
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        long at = System.nanoTime();
        behind[0] = Math.max(behind[0], at - due);
        Attempt attempt = StatsLoad.attempt(PORTAL, i, PORTAL, WEBHOOK_ID, URL, System.currentTimeMillis(), random);
        sentAt.set(i, at);
        sent.set(i + 1);
        producer.send(new ProducerRecord<>(topic.name(), WEBHOOK_ID, attempt), sender);
      }
      long took = System.nanoTime() - start;
      producer.flush();
      sender.check(total);
      return total / (took / 1e9);
    }
  }

  /** Waits until the instance knows the fresh webhook (404 before) and counts none of its attempts. */
  private void awaitWebhook(TimedGets.Target stats) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      HttpResponse<String> r = gets.get(stats);
      if (r.statusCode() == 200) {
        if (attempts(r) != 0) {
          throw new IllegalStateException("the fresh webhook has attempts before any was sent: " + r.body());
        }
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the fresh webhook's statistics answered " + r.statusCode() + ": " + r.body());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static long attempts(HttpResponse<String> r) throws Exception {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).get("totals").get("attempts").asLong();
  }
}
