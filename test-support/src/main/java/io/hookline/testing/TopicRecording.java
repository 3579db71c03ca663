package io.hookline.testing;

import io.hookline.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Everything written to one or more topics, read from the beginning of every partition by a
 * background consumer with no group, and kept in the order it was read, decoded with each topic's
 * serdes.
 *
 * <p>It reads with {@code isolation.level=read_committed}, as Hookline's own consumers do, so an
 * aborted transaction never shows up here. The topics must exist when the recording starts (their
 * partitions are assigned once). A value the topic's serde cannot decode is kept with a null
 * {@link Received#value()} and its bytes in {@link Received#raw()}; predicates on values never see
 * it. Records arrive on the recording's own thread; every read method returns a snapshot.
 */
public final class TopicRecording<K, V> implements AutoCloseable {

  /**
   * A record as read: decoded key and value, the record as it came off the wire (headers,
   * partition, offset, timestamp, bytes) and the wall-clock millis at which this reader saw it.
   */
  public record Received<K, V>(K key, V value, ConsumerRecord<byte[], byte[]> raw, long receivedAt) {

    public Headers headers() {
      return raw.headers();
    }

    /** The last header of that name as UTF-8 text, or null when the record has none. */
    public String header(String name) {
      Header h = raw.headers().lastHeader(name);
      return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
  }

  private final Map<String, Topic<K, V>> topicsByName = new HashMap<>();
  private final Consumer<Received<K, V>> onRecord;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Received<K, V>> received = new CopyOnWriteArrayList<>();
  private final String description;
  private final Thread thread;
  private volatile boolean running = true;

  private TopicRecording(List<Topic<K, V>> topics, Map<String, Object> clientProps, Consumer<Received<K, V>> onRecord) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("no topic to record");
    }
    topics.forEach(t -> topicsByName.put(t.name(), t));
    this.onRecord = onRecord;
    this.description = topics.size() == 1 ? topics.get(0).name() : topicsByName.keySet().toString();
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<K, V> t : topics) {
      consumer.partitionsFor(t.name(), Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "recording-" + description);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts recording one topic. */
  public static <K, V> TopicRecording<K, V> of(Topic<K, V> topic, Map<String, Object> clientProps) {
    return new TopicRecording<>(List.of(topic), clientProps, r -> { });
  }

  /**
   * Starts recording several topics of one type into one list, and hands each record to
   * {@code onRecord} on the recording thread as it is read (after it is kept).
   */
  public static <K, V> TopicRecording<K, V> of(
      List<Topic<K, V>> topics, Map<String, Object> clientProps, Consumer<Received<K, V>> onRecord) {
    return new TopicRecording<>(List.copyOf(topics), clientProps, onRecord);
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          Received<K, V> rec = decode(r);
          received.add(rec);
          onRecord.accept(rec);
        }
      }
    } catch (WakeupException e) {
      // close() asked the poll to return
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private Received<K, V> decode(ConsumerRecord<byte[], byte[]> r) {
    long now = System.currentTimeMillis();
    Topic<K, V> topic = topicsByName.get(r.topic());
    K key = decodeOrNull(() -> topic.keySerde().deserializer().deserialize(r.topic(), r.key()), r.key());
    V value = decodeOrNull(() -> topic.valueSerde().deserializer().deserialize(r.topic(), r.value()), r.value());
    return new Received<>(key, value, r, now);
  }

  private static <T> T decodeOrNull(Supplier<T> decode, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return decode.get();
    } catch (SerializationException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Every record read so far, in the order read. */
  public List<Received<K, V>> records() {
    return List.copyOf(received);
  }

  /** The records read so far whose (decoded, non-null) value matches. */
  public List<Received<K, V>> records(Predicate<? super V> which) {
    return received.stream().filter(r -> r.value() != null && which.test(r.value())).toList();
  }

  /** Every decoded value read so far, in the order read (null for a value that did not decode). */
  public List<V> values() {
    return received.stream().map(Received::value).toList();
  }

  /** The decoded values read so far that match. */
  public List<V> values(Predicate<? super V> which) {
    return records(which).stream().map(Received::value).toList();
  }

  /** Waits until at least {@code atLeast} values match, and returns all matching ones. */
  public List<V> await(Predicate<? super V> which, int atLeast, Duration timeout) {
    Awaitility.await("records on " + description).atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> values(which).size() >= atLeast);
    return values(which);
  }

  /** Waits for the first value that matches. */
  public V awaitOne(Predicate<? super V> which, Duration timeout) {
    return await(which, 1, timeout).get(0);
  }

  /** Waits until at least {@code atLeast} records have been read, whatever they hold, and returns all. */
  public List<Received<K, V>> awaitRecords(int atLeast, Duration timeout) {
    Awaitility.await("records on " + description).atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> received.size() >= atLeast);
    return records();
  }

  /** Stops the consumer and waits for the recording thread to end; what was read stays readable. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
