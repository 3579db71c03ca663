package io.hookline.queryapi.stats.streams;

import io.hookline.queryapi.stats.domain.StatsAggregate;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of the statistics stores of one task: a change to a webhook's statistics at some
 * time is applied to its minute in {@link StatsTopology#MINUTE_STORE} and to its hour in
 * {@link StatsTopology#HOUR_STORE} together (read, change, write back), so the hours always equal
 * the sum of their minutes. Changes older than the retention (by the wall clock) are ignored.
 */
final class StatsRollups {

  static final Duration MINUTE = Duration.ofMinutes(1);
  static final Duration HOUR = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(StatsRollups.class);

  private final ProcessorContext<?, ?> context;
  private final long retentionMs;
  private final WindowStore<String, byte[]> minutes;
  private final WindowStore<String, byte[]> hours;
  private final StatsAggregate scratch = new StatsAggregate();

  StatsRollups(ProcessorContext<?, ?> context, Duration retention) {
    this.context = context;
    this.retentionMs = retention.toMillis();
    this.minutes = context.getStateStore(StatsTopology.MINUTE_STORE);
    this.hours = context.getStateStore(StatsTopology.HOUR_STORE);
  }

  /** Applies {@code change} to the statistics of {@code webhookId} at {@code time} (epoch ms). */
  void add(String webhookId, long time, Consumer<StatsAggregate> change) {
    long minute = floor(time, MINUTE.toMillis());
    long oldestKept = context.currentSystemTimeMs() - retentionMs;
    if (minute < oldestKept) {
      LOG.debug("Not counting a record of webhook {} at {}: older than the statistics retention", webhookId, time);
      return;
    }
    update(minutes, webhookId, minute, change);
    update(hours, webhookId, floor(time, HOUR.toMillis()), change);
  }

  private void update(WindowStore<String, byte[]> store, String webhookId, long start,
      Consumer<StatsAggregate> change) {
    scratch.clear();
    byte[] stored = store.fetch(webhookId, start);
    if (stored != null) {
      StatsAggregateSerde.mergeInto(stored, scratch);
    }
    change.accept(scratch);
    store.put(webhookId, StatsAggregateSerde.encode(scratch), start);
  }

  static long floor(long time, long step) {
    return Math.floorDiv(time, step) * step;
  }
}
