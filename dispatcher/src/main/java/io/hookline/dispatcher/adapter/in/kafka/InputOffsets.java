package io.hookline.dispatcher.adapter.in.kafka;

import io.hookline.dispatcher.application.OffsetTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input consumer's offsets: one {@link OffsetTracker} per assigned partition, and the commits,
 * each only up to the first record whose outcomes are not all acknowledged. Used by the consumer's
 * thread only (commit callbacks run there too, inside {@code poll}).
 */
final class InputOffsets {

  private static final Logger LOG = LoggerFactory.getLogger(InputOffsets.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();

  InputOffsets(Consumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /** The tracker of {@code tp}'s records. */
  OffsetTracker tracker(TopicPartition tp) {
    return trackers.computeIfAbsent(tp, p -> new OffsetTracker());
  }

  /** Fresh trackers for newly assigned partitions. */
  void assigned(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      trackers.put(tp, new OffsetTracker());
    }
  }

  /** Forgets partitions that moved away: their unfinished records are their new owner's. */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      OffsetTracker t = trackers.remove(tp);
      if (t != null) {
        t.revoke();
      }
    }
  }

  /** Commits every partition that advanced, without waiting; a failed commit is retried by the next one. */
  void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    trackers.forEach((tp, t) -> t.advance().ifPresent(p -> offsets.put(tp, new OffsetAndMetadata(p))));
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(offsets, (committed, error) -> {
      if (error != null) {
        LOG.warn("Commit failed, retrying with the next one: {}", error.getMessage());
        committed.forEach((tp, o) -> {
          OffsetTracker t = trackers.get(tp);
          if (t != null) {
            t.commitFailed(o.offset());
          }
        });
      }
    });
  }

  /** Commits every assigned partition and waits (on shutdown). */
  void commitAll() {
    commitSync(trackers.keySet());
  }

  /** Commits {@code partitions} and waits (on revocation and shutdown). */
  void commitSync(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetTracker t = trackers.get(tp);
      if (t != null && t.safePosition() >= 0) {
        offsets.put(tp, new OffsetAndMetadata(t.safePosition()));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(10));
    } catch (KafkaException e) {
      LOG.warn("Final commit of {} failed; those records will be processed again: {}", offsets.keySet(), e.getMessage());
    }
  }
}
