package io.hookline.queryapi.stats.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Attempt durations (ms) counted in fixed buckets, the same buckets for every histogram, so two
 * histograms merge by adding their counts: a minute's, an hour's and a whole range's percentiles
 * come from the same kind of value. Below {@value #EXACT} ms every millisecond has its own bucket;
 * above, each bucket is {@value #GROWTH} times wider than the one before, up to one hour (longer
 * durations share the last bucket). A percentile is interpolated inside its bucket and kept within
 * the smallest and largest duration seen (which are kept exactly: the first and last rank are
 * them), so it is within about 10% of the exact value.
 *
 * <p>Mutable and not thread-safe: an accumulator.
 */
public final class LatencyHistogram {

  static final int EXACT = 16;
  static final double GROWTH = 1.1;
  static final long LONGEST_TRACKED = 3_600_000;

  /** Lower bound (inclusive) of each bucket; the next one's is its upper bound (exclusive). */
  private static final long[] LOWER = lowerBounds();
  /** Number of buckets of every histogram. */
  public static final int BUCKETS = LOWER.length;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;

  private static long[] lowerBounds() {
    List<Long> bounds = new ArrayList<>();
    for (long ms = 0; ms < EXACT; ms++) {
      bounds.add(ms);
    }
    double next = EXACT;
    long last = EXACT - 1;
    while (last < LONGEST_TRACKED) {
      long bound = Math.round(next);
      if (bound > last) {
        bounds.add(bound);
        last = bound;
      }
      next *= GROWTH;
    }
    return bounds.stream().mapToLong(Long::longValue).toArray();
  }

  /** The bucket that counts a duration of {@code ms} (negative durations count as 0). */
  public static int bucketOf(long ms) {
    if (ms < EXACT) {
      return (int) Math.max(0, ms);
    }
    int found = Arrays.binarySearch(LOWER, ms);
    return found >= 0 ? found : -found - 2;
  }

  /** Lower bound (inclusive, ms) of bucket {@code bucket}. */
  public static long lowerBound(int bucket) {
    return LOWER[bucket];
  }

  public void record(long durationMs) {
    add(bucketOf(durationMs), 1);
    observeRange(durationMs, durationMs);
  }

  /** Adds {@code count} durations to bucket {@code bucket} (as a stored histogram is read back). */
  public void add(int bucket, long count) {
    if (bucket < 0 || bucket >= BUCKETS || count < 0) {
      throw new IllegalArgumentException("bucket " + bucket + " of " + BUCKETS + ", count " + count);
    }
    counts[bucket] += count;
    total += count;
  }

  /** Widens the range of durations seen to include {@code [smallest, largest]}. */
  public void observeRange(long smallest, long largest) {
    min = Math.min(min, smallest);
    max = Math.max(max, largest);
  }

  public void merge(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    if (other.total > 0) {
      observeRange(other.min, other.max);
    }
  }

  public long count() {
    return total;
  }

  public long count(int bucket) {
    return counts[bucket];
  }

  /** The smallest duration seen; meaningless when {@link #count()} is 0. */
  public long min() {
    return min;
  }

  /** The largest duration seen; meaningless when {@link #count()} is 0. */
  public long max() {
    return max;
  }

  /**
   * The {@code quantile} (0..1, e.g. 0.95) of the durations (ms), interpolated inside its bucket;
   * null when the histogram is empty.
   */
  public Long percentile(double quantile) {
    if (total == 0) {
      return null;
    }
    long rank = Math.min(total, Math.max(1, (long) Math.ceil(quantile * total)));
    if (rank == 1 || rank == total) {
      return rank == total ? max : min;
    }
    long before = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long count = counts[i];
      if (count > 0 && before + count >= rank) {
        long lower = LOWER[i];
        long upper = i + 1 < BUCKETS ? LOWER[i + 1] : Math.max(lower + 1, max + 1);
        double within = (rank - before - 0.5) / count;
        long value = (long) Math.floor(lower + (upper - lower) * within);
        return Math.min(max, Math.max(min, value));
      }
      before += count;
    }
    return max;
  }

  public void clear() {
    Arrays.fill(counts, 0);
    total = 0;
    min = Long.MAX_VALUE;
    max = Long.MIN_VALUE;
  }
}
