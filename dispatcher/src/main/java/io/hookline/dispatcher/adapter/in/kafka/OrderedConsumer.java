package io.hookline.dispatcher.adapter.in.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.application.DeliveryService;
import io.hookline.dispatcher.application.OrderedDelivery;
import io.hookline.dispatcher.application.PendingRecord;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidEventException;
import io.hookline.schemas.OrderedHeaders;
import io.hookline.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ordered log ({@link HooklineTopics#ordered()}) for {@link OrderedDelivery}, with a
 * consumer of its own that is assigned by hand exactly the partition numbers the input consumer
 * owns of the redeliveries topic: the group's assignor places one topic's partitions only, so
 * this is what puts a webhook's ordered executions and its retries on the same instance. It is
 * driven by the input consumer's thread, from its poll loop and its rebalance callbacks: an ordered
 * partition is given up (its done positions committed, its lanes dropped) before its redeliveries
 * partition is, and taken on when that one is, reading from its committed offset.
 *
 * <p>Offsets are committed under a group of its own ({@code <group>.ordered}, which has no members:
 * the partitions are assigned, not subscribed), up to the first execution that has not ended for
 * good ({@link OrderedDelivery#donePosition}). It reads {@code read_committed}, like the input.
 * While more executions are held than the bound, its partitions are paused.
 */
public final class OrderedConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(OrderedConsumer.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topic<String, RetryRequest> ordered;
  private final String redeliveries;
  private final DeliveryService delivery;
  private final OrderedDelivery lanes;
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private boolean paused;
  private boolean closed;

  public OrderedConsumer(Map<String, Object> clientProps, String groupId, HooklineTopics topics, DeliveryService delivery,
      KafkaClientMeters meters) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(groupId));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-ordered");
    this.consumer = meters.consumer(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    this.ordered = topics.ordered();
    this.redeliveries = topics.redeliveries().name();
    this.delivery = delivery;
    this.lanes = delivery.ordered();
  }

  /** The consumer group the ordered log's offsets are committed under, for the input group {@code groupId}. */
  public static String groupId(String groupId) {
    return groupId + ".ordered";
  }

  /** The input consumer was assigned {@code partitions}: the redeliveries ones' numbers are read here too. */
  void assigned(Collection<TopicPartition> partitions) {
    List<TopicPartition> added = ordered(partitions);
    if (added.isEmpty()) {
      return;
    }
    for (TopicPartition tp : added) {
      lanes.assigned(tp.partition());
    }
    assigned.addAll(added);
    consumer.assign(assigned);
    if (paused) {
      consumer.pause(added);
    }
    LOG.info("Ordered executions: assigned {}", added);
  }

  /**
   * The input consumer gives {@code partitions} up: the redeliveries ones' numbers are committed as
   * far as done ({@code commit}; not when they were lost) and given up here first.
   */
  void revoked(Collection<TopicPartition> partitions, boolean commit) {
    List<TopicPartition> removed = ordered(partitions);
    if (removed.isEmpty()) {
      return;
    }
    if (commit && !closed) {
      commitSync(removed);
    }
    for (TopicPartition tp : removed) {
      lanes.revoked(tp.partition());
      committed.remove(tp);
    }
    assigned.removeAll(removed);
    if (!closed) {
      consumer.assign(assigned);
    }
    LOG.info("Ordered executions: revoked {}", removed);
  }

  /** Reads what has arrived, without waiting, and pauses or resumes reading as the bound says. */
  void poll() {
    if (assigned.isEmpty()) {
      return;
    }
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ZERO)) {
      handle(r);
    }
    if (!paused && lanes.overBound()) {
      consumer.pause(assigned);
      paused = true;
      LOG.info("{} ordered executions held: reading the ordered log paused", lanes.held());
    } else if (paused && lanes.underHalfBound()) {
      consumer.resume(consumer.paused());
      paused = false;
      LOG.info("{} ordered executions held: reading the ordered log resumed", lanes.held());
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    RetryRequest request = null;
    String problem = "no value";
    if (r.value() != null && r.value().length > 0) {
      try {
        request = ordered.valueSerde().deserializer().deserialize(r.topic(), r.value());
      } catch (KafkaException e) {
        problem = String.valueOf(e.getMessage());
      }
    }
    if (request == null) {
      PendingRecord pending = lanes.unusable(r.partition(), r.offset());
      delivery.reject(InputDecoding.invalid(r, InvalidEventException.Reason.UNDECODABLE_AVRO.name(), problem), pending);
      pending.release();
      return;
    }
    Header key = r.headers().lastHeader(OrderedHeaders.KEY);
    lanes.read(r.partition(), r.offset(), key == null ? "" : new String(key.value(), StandardCharsets.UTF_8),
        InputRecords.execution(request));
  }

  /** Commits the done positions that moved since the last commit. */
  void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : assigned) {
      lanes.donePosition(tp.partition()).ifPresent(p -> {
        Long last = committed.get(tp);
        if (last == null || p > last) {
          offsets.put(tp, new OffsetAndMetadata(p));
          committed.put(tp, p);
        }
      });
    }
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(offsets, (done, error) -> {
      if (error != null) {
        LOG.warn("Commit of ordered positions failed, retrying with the next one: {}", error.getMessage());
        done.keySet().forEach(committed::remove);
      }
    });
  }

  private void commitSync(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      lanes.donePosition(tp.partition()).ifPresent(p -> offsets.put(tp, new OffsetAndMetadata(p)));
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(10));
    } catch (KafkaException e) {
      LOG.warn("Commit of ordered positions {} failed; those executions will be attempted again: {}", offsets,
          e.getMessage());
    }
  }

  /** Commits what is done and closes; called after the input consumer left its group (which revokes everything). */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      commitSync(new ArrayList<>(assigned));
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private List<TopicPartition> ordered(Collection<TopicPartition> partitions) {
    List<TopicPartition> out = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (tp.topic().equals(redeliveries)) {
        out.add(new TopicPartition(ordered.name(), tp.partition()));
      }
    }
    return out;
  }
}
