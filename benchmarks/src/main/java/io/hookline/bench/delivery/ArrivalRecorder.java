package io.hookline.bench.delivery;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;

/**
 * What the receiver saw for one contender: for every delivery (event sequence number and, with a
 * fan-out, which of the event's webhooks), when it first arrived (nanoTime) and its
 * produce-to-delivery latency; later copies count as duplicates. Counts and figures are over the
 * deliveries of a range of events. Thread-safe; written by the receiver's threads, read by the
 * benchmark.
 */
final class ArrivalRecorder {

  private final AtomicLongArray arrivedNanos;
  private final long[] latencyMicros;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final int webhooks;
  private final int fanout;
  private volatile boolean isolation;

  /**
   * @param webhooks the portals events are spread over (the webhook filters' index)
   * @param fanout deliveries per event: webhook {@code w} is subscriber {@code w % fanout} of its event
   */
  ArrivalRecorder(int events, int webhooks, int fanout) {
    this.arrivedNanos = new AtomicLongArray(Math.multiplyExact(events, fanout));
    this.latencyMicros = new long[events * fanout];
    this.webhooks = webhooks;
    this.fanout = fanout;
  }

  ArrivalRecorder(int events, int webhooks) {
    this(events, webhooks, 1);
  }

  /** From now on one webhook in ten never answers (see {@link DeliverySettings#hangsInIsolation}). */
  void isolate() {
    isolation = true;
  }

  boolean hangs(int webhook) {
    return isolation && DeliverySettings.hangsInIsolation(webhook);
  }

  /** Event {@code seq}'s delivery to webhook {@code webhook} arrived. */
  void arrived(long seq, int webhook, long sentMicros, long nowNanos) {
    long delivery = seq * fanout + webhook % fanout;
    if (seq < 0 || delivery >= arrivedNanos.length()) {
      unknown.incrementAndGet();
      return;
    }
    int i = (int) delivery;
    if (arrivedNanos.compareAndSet(i, 0, nowNanos)) {
      latencyMicros[i] = nowNanos / 1000 - sentMicros;
      total.incrementAndGet();
    } else {
      duplicates.incrementAndGet();
    }
  }

  long delivered() {
    return total.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long unknown() {
    return unknown.get();
  }

  /** Deliveries of the events of [from, to) whose webhook passes {@code webhooks} that have arrived. */
  int count(int from, int to, IntPredicate webhookFilter) {
    int n = 0;
    for (int i = from * fanout; i < to * fanout; i++) {
      if (webhookFilter.test(i / fanout % webhooks) && arrivedNanos.get(i) != 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * p99 latency in ms of each consecutive block of {@code block} events of [from, to) whose webhook
   * passes the filter (at a fixed rate, a block per second), "-" for a block with none arrived.
   */
  String p99ByBlock(int from, int to, IntPredicate webhookFilter, int block) {
    StringBuilder out = new StringBuilder();
    for (double p99 : p99PerBlock(from, to, webhookFilter, block)) {
      out.append(out.length() == 0 ? "" : " ").append(Double.isNaN(p99) ? "-" : String.format(Locale.ROOT, "%.1f", p99));
    }
    return out.toString();
  }

  /** As {@link #p99ByBlock}, as numbers: NaN for a block with none arrived. */
  double[] p99PerBlock(int from, int to, IntPredicate webhookFilter, int block) {
    return percentilePerBlock(from, to, webhookFilter, block, 99);
  }

  /**
   * The {@code percentile} of the latencies in ms of each consecutive block of {@code block} events,
   * over the deliveries that arrived: NaN for a block with none arrived.
   */
  double[] percentilePerBlock(int from, int to, IntPredicate webhookFilter, int block, double percentile) {
    double[] out = new double[(to - from + block - 1) / block];
    for (int start = from, b = 0; start < to; start += block, b++) {
      long[] lat = new long[block * fanout];
      int n = 0;
      for (int i = start * fanout; i < Math.min(to, start + block) * fanout; i++) {
        if (webhookFilter.test(i / fanout % webhooks) && arrivedNanos.get(i) != 0) {
          lat[n++] = latencyMicros[i];
        }
      }
      Arrays.sort(lat, 0, n);
      out[b] = n == 0 ? Double.NaN : lat[Math.max(0, Math.min(n - 1, (int) Math.ceil(n * (percentile / 100)) - 1))] / 1000.0;
    }
    return out;
  }

  /** Rate, latencies and completeness of the deliveries of the events of [from, to) whose webhook passes the filter. */
  PhaseResult result(int from, int to, IntPredicate webhookFilter, long windowStartNanos, long windowEndNanos,
      boolean stalled) {
    int expected = 0;
    int arrived = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long[] lat = new long[(to - from) * fanout];
    for (int i = from * fanout; i < to * fanout; i++) {
      if (!webhookFilter.test(i / fanout % webhooks)) {
        continue;
      }
      expected++;
      long t = arrivedNanos.get(i);
      if (t != 0 && t <= windowEndNanos) {
        lat[arrived++] = latencyMicros[i];
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
    long[] sorted = Arrays.copyOf(lat, arrived);
    Arrays.sort(sorted);
    return new PhaseResult(expected, arrived, arrived == 0 ? 0 : first, arrived == 0 ? 0 : last,
        windowStartNanos, windowEndNanos, stalled, sorted, Double.NaN);
  }
}
