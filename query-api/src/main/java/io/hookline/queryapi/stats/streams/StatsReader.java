package io.hookline.queryapi.stats.streams;

import io.hookline.queryapi.stats.domain.StatsAggregate;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads a webhook's statistics over a range from one copy of the two statistics stores. The
 * resolution is the minute: a range covers the minutes that start in it, from the minute of its
 * start. Whole hours inside the range are read from the hour store and only the ragged ends from
 * the minute store, so a day is 24 values plus at most 118, not 1,440 (series of 1m and 5m steps
 * read minutes only, since an hour would span several steps); a range that reaches the present
 * reads the current hour whole, since nothing in it is later than now. Nothing older than the
 * retention is read, even while its segment is still in the store.
 */
final class StatsReader {

  private static final long MINUTE = StatsRollups.MINUTE.toMillis();
  private static final long HOUR = StatsRollups.HOUR.toMillis();

  private final ReadOnlyWindowStore<String, byte[]> minutes;
  private final ReadOnlyWindowStore<String, byte[]> hours;
  private final long now;
  private final long oldestKept;

  /** The stores of one copy, read at {@code now} (epoch ms) keeping {@code retentionMs}. */
  StatsReader(ReadOnlyWindowStore<String, byte[]> minutes, ReadOnlyWindowStore<String, byte[]> hours, long now,
      long retentionMs) {
    this.minutes = minutes;
    this.hours = hours;
    this.now = now;
    this.oldestKept = now - retentionMs;
  }

  /** See {@link io.hookline.queryapi.stats.DeliveryStats#series}. */
  List<StatsBucket> series(String webhookId, long from, long to, StatsInterval interval) {
    if (to <= from) {
      return List.of();
    }
    long step = interval.millis();
    long first = interval.floor(from);
    int steps = Math.toIntExact((to - first + step - 1) / step);
    List<StatsBucket> series = new ArrayList<>(steps);
    StatsAggregate current = new StatsAggregate();
    StatsAggregate empty = new StatsAggregate();
    int[] index = {-1};
    visit(webhookId, from, to, step >= HOUR, (start, stored) -> {
      int at = (int) ((start - first) / step);
      if (at != index[0]) {
        if (index[0] >= 0) {
          series.add(current.toBucket(first + index[0] * step, interval));
          current.clear();
        }
        while (series.size() < at) {
          series.add(empty.toBucket(first + series.size() * step, interval));
        }
        index[0] = at;
      }
      StatsAggregateSerde.mergeInto(stored, current);
    });
    if (index[0] >= 0) {
      series.add(current.toBucket(first + index[0] * step, interval));
    }
    while (series.size() < steps) {
      series.add(empty.toBucket(first + series.size() * step, interval));
    }
    return series;
  }

  StatsTotals totals(String webhookId, long from, long to) {
    StatsAggregate total = new StatsAggregate();
    visit(webhookId, from, to, true, (start, stored) -> StatsAggregateSerde.mergeInto(stored, total));
    return total.toTotals();
  }

  Map<String, WebhookSummary> summaries(Collection<String> webhookIds, long from, long to) {
    Map<String, WebhookSummary> summaries = new HashMap<>();
    StatsAggregate total = new StatsAggregate();
    for (String webhookId : webhookIds) {
      total.clear();
      visit(webhookId, from, to, true, (start, stored) -> StatsAggregateSerde.mergeInto(stored, total));
      summaries.put(webhookId, total.toSummary(webhookId));
    }
    return summaries;
  }

  @FunctionalInterface
  private interface Visitor {
    void stored(long start, byte[] aggregate);
  }

  /** Every stored aggregate of the range, oldest first, hours for the whole hours when {@code useHours}. */
  private void visit(String webhookId, long from, long to, boolean useHours, Visitor visitor) {
    long start = StatsRollups.floor(Math.max(from, oldestKept), MINUTE);
    long end = ceil(to, MINUTE);
    if (start >= end) {
      return;
    }
    long firstHour = ceil(start, HOUR);
    // A range reaching the present ends with the current hour, which holds nothing after now: its
    // hour value stands for its minutes, one value and one read fewer for "the last 24 hours".
    long lastHour = end > now ? ceil(end, HOUR) : StatsRollups.floor(end, HOUR);
    if (!useHours || firstHour >= lastHour) {
      read(minutes, webhookId, start, end, visitor);
      return;
    }
    read(minutes, webhookId, start, firstHour, visitor);
    read(hours, webhookId, firstHour, lastHour, visitor);
    read(minutes, webhookId, lastHour, end, visitor);
  }

  private static void read(ReadOnlyWindowStore<String, byte[]> store, String webhookId, long from, long to,
      Visitor visitor) {
    if (from >= to) {
      return;
    }
    try (WindowStoreIterator<byte[]> stored = store.fetch(webhookId, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to - 1))) {
      while (stored.hasNext()) {
        KeyValue<Long, byte[]> next = stored.next();
        visitor.stored(next.key, next.value);
      }
    }
  }

  private static long ceil(long time, long step) {
    return -Math.floorDiv(-time, step) * step;
  }
}
