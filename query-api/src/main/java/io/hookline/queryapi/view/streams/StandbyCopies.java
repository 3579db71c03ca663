package io.hookline.queryapi.view.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Which of this instance's standby copies may answer a query: only a copy that has caught up with
 * its changelog since it was assigned here, and is still close to it. Kafka Streams counts a copy
 * that has not started filling as lagging by the whole changelog from offset 0, so for a changelog
 * of a few thousand records a brand-new, empty standby would look "within 10,000 records" and answer
 * an empty list that is not true. Told by Kafka Streams' own {@link StandbyUpdateListener} when a
 * standby starts filling, loads a batch, or stops.
 *
 * <p>A copy answers when either it is complete but for the latest commit ({@value #IN_SYNC_LAG}
 * offsets: the last record and its transaction marker) and holds something, or a batch it loaded
 * since it was assigned here reached within {@value #CAUGHT_UP_LAG} offsets of the changelog end and
 * it is now at most {@value StoreRouting#STANDBY_ACCEPTABLE_LAG} records behind.
 */
public final class StandbyCopies implements StandbyUpdateListener {

  /** Offsets a complete copy may still show as lag: the last record and its transaction marker. */
  static final long IN_SYNC_LAG = 2;
  /** How close to the changelog end a loaded batch must come for the copy to count as caught up. */
  static final long CAUGHT_UP_LAG = 100;

  /** Copies that caught up since they were assigned here: store name to partitions. */
  private final Map<String, Map<Integer, Boolean>> caughtUp = new ConcurrentHashMap<>();

  /**
   * Whether this instance's standby copy of {@code store} partition {@code partition} may answer,
   * being at changelog offset {@code position} of {@code end} (Kafka Streams' {@code LagInfo}; a
   * copy that has not started filling is at 0).
   */
  public boolean mayAnswer(String store, int partition, long position, long end) {
    long lag = Math.max(0, end - position);
    if (lag <= IN_SYNC_LAG && (position > 0 || end == 0)) {
      return true;
    }
    return lag <= StoreRouting.STANDBY_ACCEPTABLE_LAG
        && caughtUp.getOrDefault(store, Map.of()).getOrDefault(partition, false);
  }

  @Override
  public void onUpdateStart(TopicPartition changelog, String storeName, long startingOffset) {
    mark(storeName, changelog.partition(), false);
  }

  @Override
  public void onBatchLoaded(TopicPartition changelog, String storeName, TaskId taskId, long batchEndOffset,
      long batchSize, long currentEndOffset) {
    if (currentEndOffset - batchEndOffset <= CAUGHT_UP_LAG) {
      mark(storeName, changelog.partition(), true);
    }
  }

  @Override
  public void onUpdateSuspended(TopicPartition changelog, String storeName, long storeOffset, long currentEndOffset,
      SuspendReason reason) {
    mark(storeName, changelog.partition(), false);
  }

  private void mark(String store, int partition, boolean caughtUpNow) {
    caughtUp.computeIfAbsent(store, s -> new ConcurrentHashMap<>()).put(partition, caughtUpNow);
  }
}
