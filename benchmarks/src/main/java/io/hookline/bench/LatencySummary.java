package io.hookline.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latency percentiles of one series of requests, in microseconds.
 *
 * @param label what was measured
 * @param count requests measured
 */
record LatencySummary(String label, int count, long p50Us, long p99Us, long p999Us, long maxUs) {

  static LatencySummary of(String label, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new LatencySummary(label, sorted.length, at(sorted, 0.50) / 1000, at(sorted, 0.99) / 1000,
        at(sorted, 0.999) / 1000, sorted[sorted.length - 1] / 1000);
  }

  private static long at(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static String ms(long us) {
    return String.format(Locale.ROOT, "%.2f", us / 1000.0);
  }

  static String ratio(long a, long b) {
    return b <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", (double) a / b);
  }
}
