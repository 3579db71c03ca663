package io.hookline.queryapi.live.kafka;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.live.FailureLogReader;
import io.hookline.queryapi.live.PositionedChange;
import io.hookline.queryapi.live.StreamPosition;
import io.hookline.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a stretch of the dead-letter topic again with a consumer of its own, closed afterwards.
 * Each partition starts at the later of the asked position and the first record written within
 * the failed-executions retention (older ones are out of the view anyway), and is read up to the
 * asked end; a read that makes no progress for {@link #STALL} fails. So does a read that meets a record
 * whose schema the schema registry could not give: the record is not skipped, the stream is closed and
 * its client resumes from its last position.
 */
public final class KafkaFailureLogReader implements FailureLogReader {

  static final Duration STALL = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Topic<String, FailedExecution> topic;
  private final Map<String, Object> clientProps;
  private final Duration retention;
  private final Clock clock;

  public KafkaFailureLogReader(Topic<String, FailedExecution> topic, Map<String, Object> clientProps,
      Duration retention, Clock clock) {
    this.topic = topic;
    this.clientProps = Map.copyOf(clientProps);
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  public void read(StreamPosition from, StreamPosition until, Predicate<PositionedChange> sink) {
    List<TopicPartition> behind = new ArrayList<>();
    for (int p = 0; p < until.partitions(); p++) {
      if (from.next(p) < until.next(p)) {
        behind.add(new TopicPartition(topic.name(), p));
      }
    }
    if (behind.isEmpty()) {
      return;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = FailureRecords.consumer(clientProps, "hookline-query-api-live-catch-up")) {
      consumer.assign(behind);
      Map<TopicPartition, Long> oldestKept = oldestKept(consumer, behind);
      List<TopicPartition> left = new ArrayList<>();
      for (TopicPartition tp : behind) {
        long start = Math.max(from.next(tp.partition()), oldestKept.getOrDefault(tp, 0L));
        if (start < until.next(tp.partition())) {
          consumer.seek(tp, start);
          left.add(tp);
        }
      }
      consumer.assign(left);
      long stallDeadline = System.nanoTime() + STALL.toNanos();
      while (!left.isEmpty()) {
        boolean progress = false;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          progress = true;
          if (r.offset() >= until.next(r.partition())) {
            continue;
          }
          Optional<PositionedChange> change = FailureRecords.change(topic, r);
          if (change.isPresent() && !sink.test(change.get())) {
            return;
          }
        }
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : left) {
          if (consumer.position(tp) >= until.next(tp.partition())) {
            done.add(tp);
          }
        }
        if (!done.isEmpty()) {
          left.removeAll(done);
          consumer.pause(done);
          progress = true;
        }
        if (progress) {
          stallDeadline = System.nanoTime() + STALL.toNanos();
        } else if (System.nanoTime() - stallDeadline > 0) {
          throw new IllegalStateException("No progress reading " + left + " for " + STALL);
        }
      }
    }
  }

  /**
   * Per partition, the offset of the first record written within the retention: the end offset when
   * none is, so nothing of it is read again.
   */
  private Map<TopicPartition, Long> oldestKept(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    long since = clock.millis() - retention.toMillis();
    if (since <= 0) {
      return Map.of();
    }
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(tp -> times.put(tp, since));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, STALL);
    consumer.offsetsForTimes(times, STALL).forEach((tp, found) -> offsets.put(tp, found == null ? ends.get(tp) : found.offset()));
    return offsets;
  }
}
