package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.avro.FailedExecution;
import io.hookline.dispatcher.application.InvalidRecord;
import io.hookline.dispatcher.application.OutcomeLog;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.DeadLetterHeaders;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.schemas.OrderedHeaders;
import io.hookline.schemas.ParkedHeaders;
import io.hookline.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes outcomes to their topics with one idempotent producer ({@code acks=all}): a future
 * completes only once the record is durably in Kafka. Attempts, retry requests, parked executions
 * and failed executions are keyed by webhook id, so all records of one webhook share a partition.
 */
public final class KafkaOutcomeLog implements OutcomeLog, AutoCloseable {

  private final HooklineTopics topics;
  private final Producer<byte[], byte[]> producer;

  public KafkaOutcomeLog(HooklineTopics topics, Map<String, Object> clientProps, KafkaClientMeters meters) {
    this.topics = topics;
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Outcome records only hold the commit point back, never a delivery: batching them over 20 ms
    // (instead of 5) cuts the broker's CPU per delivery by about a sixth in ./bench delivery.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "hookline-dispatcher-outcomes");
    this.producer = meters.producer(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  private KafkaOutcomeLog(HooklineTopics topics, Producer<byte[], byte[]> producer) {
    this.topics = topics;
    this.producer = producer;
  }

  /**
   * An outcome log that builds and serializes every record exactly as the real one does, then
   * drops it, acknowledged at once, without any connection to Kafka: for the start-up warm-up,
   * which must leave no trace. Records of webhooks with ordering cannot be written to it (it knows
   * no partitions).
   */
  public static KafkaOutcomeLog dropping(HooklineTopics topics) {
    return new KafkaOutcomeLog(topics, new DroppingProducer());
  }

  /**
   * Learns the partitions of every topic outcomes go to, once at start: otherwise the first outcome
   * of each kind waits for them inside {@code send}, on the thread that completed its delivery.
   */
  public void fetchMetadata() {
    List<String> names = new ArrayList<>(List.of(topics.attempts().name(), topics.deadLetter().name(),
        topics.eventsInvalid().name(), topics.operational().name()));
    topics.delayedTopics().forEach(t -> names.add(t.name()));
    names.forEach(producer::partitionsFor);
  }

  @Override
  public CompletableFuture<Void> attempt(Execution e, String url, long createdAt, long finishedAt, long durationMs,
      DeliveryOutcome outcome, Map<String, String> requestHeaders) {
    return send(topics.attempts(), e.webhookId(),
        OutcomeRecords.attempt(e, url, createdAt, finishedAt, durationMs, outcome, requestHeaders));
  }

  @Override
  public CompletableFuture<Void> throttledAttempt(Execution e, String url, long createdAt, long finishedAt,
      long durationMs, DeliveryOutcome outcome, Map<String, String> requestHeaders, long throttledUntil) {
    return send(topics.attempts(), e.webhookId(),
        OutcomeRecords.throttled(OutcomeRecords.attempt(e, url, createdAt, finishedAt, durationMs, outcome, requestHeaders),
            throttledUntil));
  }

  @Override
  public CompletableFuture<Void> retry(
      Execution e, int nextAttempt, Duration delay, long dueAt, long attemptedAt, DeliveryOutcome.Failed failure) {
    return send(topics.retry(delay), e.webhookId(), OutcomeRecords.retry(e, nextAttempt, dueAt, attemptedAt, failure));
  }

  @Override
  public CompletableFuture<Void> failed(Execution e, String url, int retries, FailureReason reason, String message,
      Integer httpStatus, long lastAt) {
    return deadLetter(OutcomeRecords.failed(e, url, retries, reason, message, httpStatus, lastAt));
  }

  @Override
  public CompletableFuture<Void> resolved(Execution e, String url, int retries, Integer httpStatus, long lastAt) {
    return deadLetter(OutcomeRecords.resolved(e, url, retries, httpStatus, lastAt));
  }

  private CompletableFuture<Void> deadLetter(FailedExecution failed) {
    var topic = topics.deadLetter();
    RecordHeaders headers = new RecordHeaders();
    DeadLetterHeaders.of(failed).forEach(headers::add);
    return serialized(() -> send(new ProducerRecord<>(topic.name(), null,
        topic.keySerde().serializer().serialize(topic.name(), failed.getWebhookId()),
        topic.valueSerde().serializer().serialize(topic.name(), failed), headers)));
  }

  @Override
  public CompletableFuture<Void> park(Execution e, long dueAt, long now, String reason) {
    var topic = topics.parked();
    RecordHeaders headers = new RecordHeaders();
    headers.add(ParkedHeaders.PARKED, reason.getBytes(StandardCharsets.UTF_8));
    return serialized(() -> send(new ProducerRecord<>(topic.name(), null,
        topic.keySerde().serializer().serialize(topic.name(), e.webhookId()),
        topic.valueSerde().serializer().serialize(topic.name(), OutcomeRecords.parked(e, dueAt, now)), headers)));
  }

  /**
   * Written to the partition number of the webhook's partition of the redeliveries topic, so the
   * instance that owns the webhook's retries reads it (the ordered topic has as many partitions).
   */
  @Override
  public CompletableFuture<Void> ordered(Execution e, String key, long now) {
    var topic = topics.ordered();
    var redeliveries = topics.redeliveries();
    RecordHeaders headers = new RecordHeaders();
    headers.add(OrderedHeaders.KEY, key.getBytes(StandardCharsets.UTF_8));
    return serialized(() -> {
      byte[] k = redeliveries.keySerde().serializer().serialize(redeliveries.name(), e.webhookId());
      int partition = Utils.toPositive(Utils.murmur2(k)) % producer.partitionsFor(redeliveries.name()).size();
      return send(new ProducerRecord<>(topic.name(), partition, k,
          topic.valueSerde().serializer().serialize(topic.name(), OutcomeRecords.parked(e, now, now)), headers));
    });
  }

  /**
   * Copies the refused record byte for byte. A record at Kafka's size limit cannot be copied with
   * the reason headers added (the copy is larger than the original); it is then written without its
   * key and value, the message saying so, and stays readable at its source offset. Either way the
   * refusal is on the invalid topic, and a record that is too large never stops the dispatcher.
   */
  @Override
  public CompletableFuture<Void> invalid(InvalidRecord r) {
    return send(invalidCopy(r, r.key(), r.value(), r.message())).exceptionallyComposeAsync(e -> {
      if (!tooLarge(e)) {
        return CompletableFuture.failedFuture(e);
      }
      String withoutBytes = "key and value (" + length(r.key()) + " and " + length(r.value())
          + " bytes) too large to copy, read them at the source offset; " + r.message();
      return send(invalidCopy(r, null, null, withoutBytes));
    });
  }

  private ProducerRecord<byte[], byte[]> invalidCopy(InvalidRecord r, byte[] key, byte[] value, String message) {
    RecordHeaders headers = new RecordHeaders();
    InvalidRecordHeaders.of(r.reason(), message, r.sourceTopic(), r.sourcePartition(), r.sourceOffset())
        .forEach(headers::add);
    return new ProducerRecord<>(topics.eventsInvalid().name(), null, key, value, headers);
  }

  private static boolean tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  /** Writes {@code value} under {@code key} with the outcomes' producer: the dispatcher's other records share it. */
  <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
    return serialized(() -> {
      byte[] k = topic.keySerde().serializer().serialize(topic.name(), key);
      byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
      return send(new ProducerRecord<>(topic.name(), k, v));
    });
  }

  /**
   * The write {@code write} starts, or a failed one when serializing its record fails (a schema
   * registry that did not answer within its bound): the failure reaches the caller like any write
   * that Kafka did not acknowledge, so no offset is committed past it.
   */
  private static CompletableFuture<Void> serialized(Supplier<CompletableFuture<Void>> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          acked.completeExceptionally(new KafkaException("Cannot write to " + record.topic() + ": " + error.getMessage(), error));
        } else {
          acked.complete(null);
        }
      });
    } catch (RuntimeException e) {
      acked.completeExceptionally(e);
    }
    return acked;
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
