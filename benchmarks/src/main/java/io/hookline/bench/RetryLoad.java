package io.hookline.bench;

import io.hookline.avro.Event;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.schemas.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The load both contenders get: {@code records} RetryRequest records keyed by webhook id (so they
 * spread over the partitions by key, as Hookline keys everything after fan-out), produced as fast as
 * one producer goes. Record {@code i} carries execution id {@code bench-i}, which the measuring side
 * decodes to count every record exactly once.
 */
final class RetryLoad {

  private static final AvroSerde<RetryRequest> SERDE = AvroSerde.of(RetryRequest.class);
  private static final String EXECUTION_PREFIX = "bench-";

  private final BenchmarkSettings settings;

  RetryLoad(BenchmarkSettings settings) {
    this.settings = settings;
  }

  /**
   * Produces every record to {@code topic} and waits until the broker has acknowledged all of them.
   *
   * @param dueAt the due time stamped in record i, given the time it is produced
   * @param headers the headers of a record produced at a time and due at another
   * @return the time the last record was acknowledged
   */
  long produce(String bootstrapServers, String topic, LongUnaryOperator dueAt, HeaderStamp headers) {
    awaitLeaders(bootstrapServers, topic);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(bootstrapServers))) {
      AtomicLong acked = new AtomicLong();
      AtomicReference<Exception> failed = new AtomicReference<>();
      Event event = Event.newBuilder().setPortal("bench").setEvent("bench.retry").setPayload("{\"n\":1}").build();
      for (int i = 0; i < settings.records(); i++) {
        long now = System.currentTimeMillis();
        long due = dueAt.applyAsLong(now);
        String webhook = settings.webhookOf(i);
        RetryRequest request = RetryRequest.newBuilder()
            .setExecutionId(EXECUTION_PREFIX + i)
            .setWebhookId(webhook)
            .setAttempt(2)
            .setDueAt(due)
            .setTrigger(Trigger.SCHEDULED)
            .setFirstAttemptAt(now)
            .setLastAttemptAt(now)
            .setLastHttpStatus(503)
            .setLastErrorCode("HTTP_ERROR")
            .setLastErrorMessage("503 Service Unavailable")
            .setEvent(event)
            .build();
        producer.send(
            new ProducerRecord<>(topic, null, now, webhook, SERDE.encode(request), headers.headers(now, due)),
            (metadata, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              } else {
                failed.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
      if (failed.get() != null || acked.get() != settings.records()) {
        throw new IllegalStateException("The load was not produced whole: " + acked.get() + " of "
            + settings.records() + " acknowledged", failed.get());
      }
      return System.currentTimeMillis();
    }
  }

  /**
   * Returns once every partition of a just-created topic answers from its leader: the admin client
   * retries a ListOffsets until the leader serves it, so the load does not start with a burst of
   * NOT_LEADER_OR_FOLLOWER retries that would skew its produce times.
   */
  private void awaitLeaders(String bootstrapServers, String topic) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < settings.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the leaders of " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("The partitions of " + topic + " have no leader: " + e.getMessage(), e);
    }
  }

  /** The headers a record carries, given when it is produced and when it is due. */
  @FunctionalInterface
  interface HeaderStamp {
    HeaderStamp NONE = (producedAt, dueAt) -> new RecordHeaders();

    Headers headers(long producedAt, long dueAt);
  }

  static RetryRequest decode(byte[] value) {
    return SERDE.decode(value);
  }

  /** The partition record {@code i} lands on (the producer's default partitioner for its key). */
  int partitionOf(int i) {
    byte[] key = settings.webhookOf(i).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % settings.partitions();
  }

  /** Names records by number, execution id, key and partition, for a failure message. */
  String describe(List<Integer> indices) {
    StringJoiner out = new StringJoiner(", ");
    for (int i : indices) {
      out.add(EXECUTION_PREFIX + i + " (key " + settings.webhookOf(i) + ", partition " + partitionOf(i) + ")");
    }
    return out.toString();
  }

  /** The index i of a record produced by this load. */
  static int indexOf(RetryRequest request) {
    String id = request.getExecutionId();
    if (!id.startsWith(EXECUTION_PREFIX)) {
      throw new IllegalStateException("Not a benchmark record: execution id " + id);
    }
    return Integer.parseInt(id.substring(EXECUTION_PREFIX.length()));
  }

  private static Map<String, Object> producerProps(String bootstrapServers) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        // The topics are minutes old at most. With several batches in flight, a NOT_LEADER_OR_FOLLOWER
        // on a new partition followed by OUT_OF_ORDER_SEQUENCE_NUMBER lost 24 records in one run;
        // one request in flight per partition keeps the retries in order.
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
  }
}
