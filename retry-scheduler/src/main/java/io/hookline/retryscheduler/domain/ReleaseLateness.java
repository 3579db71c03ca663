package io.hookline.retryscheduler.domain;

/**
 * How late scheduled retries are released: for each released record, lateness = release time -
 * due time, in milliseconds. Keeps a count, the extremes, the mean and a histogram with 1 ms
 * buckets up to {@link #RESOLVED_MS} (anything slower counts in one overflow bucket and is reported
 * as the maximum), which is exact enough for p50/p99 of a target measured in tens of
 * milliseconds.
 *
 * <p>The scheduler records, a benchmark or a log line reads {@link #snapshot()}; thread-safe.
 * A record released before its due time (only possible if the clock steps back) counts as 0 ms
 * late and shows in {@link Snapshot#early()}.
 */
public final class ReleaseLateness {

  /** Latenesses below this many milliseconds are kept exactly. */
  public static final int RESOLVED_MS = 10_000;

  private final long[] buckets = new long[RESOLVED_MS + 1];
  private long count;
  private long early;
  private long sum;
  private long max;

  public synchronized void record(long latenessMs) {
    if (latenessMs < 0) {
      early++;
      latenessMs = 0;
    }
    buckets[(int) Math.min(latenessMs, RESOLVED_MS)]++;
    count++;
    sum += latenessMs;
    max = Math.max(max, latenessMs);
  }

  /** Records released so far. */
  public synchronized long count() {
    return count;
  }

  /** Forgets everything recorded so far (for a benchmark's warm-up). */
  public synchronized void reset() {
    java.util.Arrays.fill(buckets, 0);
    count = 0;
    early = 0;
    sum = 0;
    max = 0;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(count, early, count == 0 ? 0 : (double) sum / count, max,
        percentile(0.50), percentile(0.90), percentile(0.99), percentile(0.999));
  }

  private long percentile(double q) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * count);
    long seen = 0;
    for (int ms = 0; ms < RESOLVED_MS; ms++) {
      seen += buckets[ms];
      if (seen >= rank) {
        return ms;
      }
    }
    return max;
  }

  /**
   * Lateness figures at one moment, in milliseconds.
   *
   * @param count records released
   * @param early records released before their due time (clock stepped back)
   */
  public record Snapshot(long count, long early, double meanMs, long maxMs, long p50Ms, long p90Ms, long p99Ms, long p999Ms) {

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "released=%d lateness p50=%dms p90=%dms p99=%dms p99.9=%dms max=%dms mean=%.1fms%s",
          count, p50Ms, p90Ms, p99Ms, p999Ms, maxMs, meanMs, early > 0 ? " early=" + early : "");
    }
  }
}
