package io.hookline.bench;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Trigger;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.HooklineTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * The delivery statistics' data: {@code stats-webhooks} webhooks of one portal ({@value #PORTAL})
 * and {@code stats-attempts} attempts on the attempts topic (as the dispatcher writes them, keyed by
 * webhook id), spread evenly over the webhooks and at random times over the {@link #SPAN} before
 * the run's start: 85% delivered, 10% HTTP errors, 3% timeouts, 2% connection errors, durations
 * around 120 ms with a long tail. Deterministic for a given size.
 */
final class StatsLoad {

  static final String PORTAL = "stats";
  static final Duration SPAN = Duration.ofHours(24);

  private final FailedExecutionsSettings settings;
  private final HooklineTopics topics;
  private final FailedExecutionsLoad load;
  private final long now;

  StatsLoad(FailedExecutionsSettings settings, HooklineTopics topics, FailedExecutionsLoad load, long now) {
    this.settings = settings;
    this.topics = topics;
    this.load = load;
    this.now = now;
  }

  static String webhookId(int w) {
    return Long.toString(19_368_000_000_000_000L + w);
  }

  int partitionOf(int w) {
    return Utils.toPositive(Utils.murmur2(webhookId(w).getBytes(StandardCharsets.UTF_8))) % settings.partitions();
  }

  /** The range every query asks for: the span of the data, up to the present. */
  long from() {
    return now - SPAN.toMillis();
  }

  void writeWebhooks(String bootstrapServers, SecretCipher cipher) throws Exception {
    load.writeWebhooks(bootstrapServers, cipher, settings.statsWebhooks(), StatsLoad::webhookId, w -> PORTAL);
  }

  void writeAttempts(String bootstrapServers) throws Exception {
    var topic = topics.attempts();
    SplittableRandom random = new SplittableRandom(99);
    try (KafkaProducer<String, Attempt> producer = new KafkaProducer<>(
        FailedExecutionsLoad.producerProps(bootstrapServers), topic.keySerde().serializer(),
        topic.valueSerde().serializer())) {
      FailedExecutionsLoad.Sender sender = new FailedExecutionsLoad.Sender();
      long lastLog = System.nanoTime();
      for (int i = 0; i < settings.statsAttempts(); i++) {
        Attempt attempt = attempt(i, random);
        producer.send(new ProducerRecord<>(topic.name(), attempt.getWebhookId(), attempt), sender);
        if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
          Progress.log("Load: %,d of %,d attempts sent", i + 1, settings.statsAttempts());
          lastLog = System.nanoTime();
        }
      }
      producer.flush();
      sender.check(settings.statsAttempts());
    }
  }

  private Attempt attempt(int i, SplittableRandom random) {
    int w = i % settings.statsWebhooks();
    long createdAt = from() + random.nextLong(SPAN.toMillis());
    return attempt("stats", i, PORTAL, webhookId(w), "https://hooks-" + w + ".example.com/salesiq/events", createdAt,
        random);
  }

  /**
   * Attempt {@code i} of a webhook as the dispatcher records it, created at {@code createdAt}
   * (execution {@code <prefix>-<i>}, a first attempt), its outcome and duration drawn from
   * {@code random} as the class comment says.
   */
  static Attempt attempt(String prefix, int i, String portal, String webhookId, String url, long createdAt,
      SplittableRandom random) {
    long duration = Math.max(1, Math.round(Math.exp(Math.log(120) + 0.8 * random.nextGaussian())));
    int kind = random.nextInt(100);
    Attempt.Builder b = Attempt.newBuilder()
        .setExecutionId(prefix + "-" + i)
        .setWebhookId(webhookId)
        .setPortal(portal)
        .setEventId(prefix + "-event-" + i)
        .setEvent(FailedExecutionsLoad.EVENTS.get(i % FailedExecutionsLoad.EVENTS.size()))
        .setUrl(url)
        .setAttempt(1)
        .setTrigger(Trigger.INITIAL)
        .setDurationMs(duration)
        .setCreatedAt(createdAt);
    if (kind < 85) {
      return b.setStatus(AttemptStatus.SENT).setHttpStatus(200).setDeliveredAt(createdAt + duration).build();
    }
    if (kind < 95) {
      return b.setStatus(AttemptStatus.ERROR).setHttpStatus(500).setErrorCode("HTTP_ERROR").setErrorMessage("HTTP 500")
          .build();
    }
    if (kind < 98) {
      return b.setStatus(AttemptStatus.TIMEOUT).setErrorCode("TIMEOUT").setErrorMessage("no response")
          .setDurationMs(10_000).build();
    }
    return b.setStatus(AttemptStatus.ERROR).setErrorCode("CONNECTION_ERROR").setErrorMessage("connection refused")
        .build();
  }
}
