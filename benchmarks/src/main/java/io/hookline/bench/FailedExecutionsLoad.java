package io.hookline.bench;

import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.schemas.HooklineTopics;
import io.hookline.runtime.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * The benchmark's data: {@code webhooks} webhooks on the webhooks topic (as the API writes them,
 * secrets encrypted) spread over 100 portals, and {@code records} failed executions on the
 * dead-letter topic (as the dispatcher writes them, keyed by webhook id), each with a realistic
 * Zoho-style conversation event of 300-500 bytes of payload, last executed at a random time within
 * the spread. Deterministic for a given size: webhook {@code w} is {@link #webhookId(int)}, its
 * portal {@link #portalOf(int)}.
 */
final class FailedExecutionsLoad {

  static final List<String> EVENTS = List.of("conversation.created", "conversation.ended",
      "conversation.operator.replied", "conversation.visitor.replied", "visitor.chat.missed", "feedback.received");
  private static final String[] WORDS = ("help order refund delivery account password shipping invoice please "
      + "thanks when where status missing wrong broken update cancel subscription plan upgrade price discount")
      .split(" ");
  private static final int PORTALS = 100;

  private final FailedExecutionsSettings settings;
  private final HooklineTopics topics;
  private final long now;

  FailedExecutionsLoad(FailedExecutionsSettings settings, HooklineTopics topics, long now) {
    this.settings = settings;
    this.topics = topics;
    this.now = now;
  }

  static String webhookId(int w) {
    return Long.toString(19_367_000_000_000_000L + w);
  }

  static String portalOf(int w) {
    return "portal" + (w % PORTALS);
  }

  /** The dead-letter partition (and so the Streams task) that holds webhook {@code w}'s failures. */
  int partitionOf(int w) {
    return Utils.toPositive(Utils.murmur2(webhookId(w).getBytes(StandardCharsets.UTF_8))) % settings.partitions();
  }

  /** Writes every webhook; returns once all are acknowledged. */
  void writeWebhooks(String bootstrapServers, SecretCipher cipher) throws Exception {
    writeWebhooks(bootstrapServers, cipher, settings.webhooks(), FailedExecutionsLoad::webhookId,
        FailedExecutionsLoad::portalOf);
  }

  /** Writes webhooks {@code 0..count-1}, named and placed by {@code ids} and {@code portals}; returns once acknowledged. */
  void writeWebhooks(String bootstrapServers, SecretCipher cipher, int count, IntFunction<String> ids,
      IntFunction<String> portals) throws Exception {
    var topic = topics.webhooks();
    SplittableRandom random = new SplittableRandom(7);
    try (KafkaProducer<String, Webhook> producer = new KafkaProducer<>(producerProps(bootstrapServers),
        topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      Sender sender = new Sender();
      for (int w = 0; w < count; w++) {
        String id = ids.apply(w);
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        long created = now - TimeUnit.DAYS.toMillis(60);
        Webhook webhook = Webhook.newBuilder()
            .setId(id)
            .setPortal(portals.apply(w))
            .setUrl("https://hooks-" + w + ".example.com/salesiq/events")
            .setEvents(EVENTS)
            .setEnabled(true)
            .setSecrets(List.of(SigningSecret.newBuilder()
                .setSecret(cipher.encrypt("whsec_" + Base64.getEncoder().encodeToString(secret), id))
                .setCreatedAt(created)
                .setExpiresAt(null)
                .build()))
            .setCreatedAt(created)
            .setUpdatedAt(created)
            .build();
        producer.send(new ProducerRecord<>(topic.name(), id, webhook), sender);
      }
      producer.flush();
      sender.check(count);
    }
  }

  /** Writes every failed execution as fast as one batching producer goes; returns the payload bytes written. */
  long writeFailedExecutions(String bootstrapServers) throws Exception {
    var topic = topics.deadLetter();
    SplittableRandom random = new SplittableRandom(42);
    long payloadBytes = 0;
    try (KafkaProducer<String, FailedExecution> producer = new KafkaProducer<>(producerProps(bootstrapServers),
        topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      Sender sender = new Sender();
      long lastLog = System.nanoTime();
      for (int i = 0; i < settings.records(); i++) {
        int w = i % settings.webhooks();
        FailedExecution failure = failure(i, w, random);
        payloadBytes += failure.getEvent().getPayload().length();
        producer.send(new ProducerRecord<>(topic.name(), failure.getWebhookId(), failure), sender);
        if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
          Progress.log("Load: %,d of %,d failed executions sent", i + 1, settings.records());
          lastLog = System.nanoTime();
        }
      }
      producer.flush();
      sender.check(settings.records());
    }
    return payloadBytes;
  }

  private FailedExecution failure(int i, int w, SplittableRandom random) {
    String webhook = webhookId(w);
    String eventName = EVENTS.get(random.nextInt(EVENTS.size()));
    String entityId = Long.toString(19_367_000_000_100_000L + random.nextInt(5_000_000));
    long lastExecution = now - random.nextLong(settings.spread().toMillis());
    long eventTime = lastExecution - 180_000 - random.nextInt(5_000);
    String eventId = UUID.nameUUIDFromBytes(("bench-event-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    Event event = Event.newBuilder()
        .setId(eventId)
        .setPortal(portalOf(w))
        .setAppId(Long.toString(19_367_000_000_002_000L + w % 50))
        .setEvent(eventName)
        .setEntity("conversation")
        .setEntityId(entityId)
        .setEntityLabel("{\"id\":\"" + entityId + "\"}")
        .setEventTime(eventTime)
        .setPayload(payload(random, entityId, eventTime))
        .build();
    int kind = random.nextInt(10);
    Integer status = kind < 6 ? Integer.valueOf(500) : kind < 8 ? Integer.valueOf(400) : kind < 9 ? Integer.valueOf(503) : null;
    return FailedExecution.newBuilder()
        .setExecutionId(UUID.nameUUIDFromBytes((eventId + "/" + webhook).getBytes(StandardCharsets.UTF_8)).toString())
        .setWebhookId(webhook)
        .setPortal(portalOf(w))
        .setUrl("https://hooks-" + w + ".example.com/salesiq/events")
        .setState(FailedExecutionState.FAILED)
        .setNumberOfRetries(3)
        .setLastHttpStatus(status)
        .setErrorCode(status == null ? "TIMEOUT" : "HTTP_ERROR")
        .setErrorMessage(status == null ? "no response within the delivery timeout" : "HTTP " + status)
        .setFirstExecutionTime(lastExecution - 180_000)
        .setLastExecutionTime(lastExecution)
        .setEvent(event)
        .build();
  }

  /** A SalesIQ-like message payload of 300 to 500 bytes. */
  static String payload(SplittableRandom random, String entityId, long eventTime) {
    int target = 300 + random.nextInt(201);
    StringBuilder text = new StringBuilder();
    String head = "{\"version\":1,\"event_time\":\"" + eventTime + "\",\"message\":{\"sender\":{\"name\":\"Visitor "
        + random.nextInt(100_000) + "\",\"id\":\"" + (19_367_000_000_002_000L + random.nextInt(100_000)) + "\"},"
        + "\"msgid\":\"" + (eventTime - random.nextInt(100)) + "\",\"meta\":{\"hand_off\":" + random.nextBoolean()
        + ",\"typing_delay\":0},\"text\":\"";
    String tail = "\"},\"id\":\"" + entityId + "\"}";
    while (head.length() + text.length() + tail.length() < target) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return head + text + tail;
  }

  static Map<String, Object> producerProps(String bootstrapServers) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return props;
  }

  /** Counts acknowledged sends and keeps the first failure. */
  static final class Sender implements org.apache.kafka.clients.producer.Callback {

    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    @Override
    public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
      if (e != null) {
        failure.compareAndSet(null, e);
      } else {
        acked.incrementAndGet();
      }
    }

    void check(long expected) {
      if (failure.get() != null) {
        throw new IllegalStateException("a produce failed", failure.get());
      }
      if (acked.get() != expected) {
        throw new IllegalStateException(acked.get() + " of " + expected + " records acknowledged");
      }
    }
  }
}
