package io.hookline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lateness of each of the {@code records} benchmark records, indexed by the record's number, so that
 * every record is accounted for exactly once: a record seen twice counts as a duplicate (and keeps
 * its first lateness), a record never seen makes {@link #summary} fail.
 */
final class LatenessRecorder {

  private final long[] lateness;
  private final AtomicIntegerArray seen;
  private final CountDownLatch remaining;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong firstDue = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastDue = new AtomicLong(Long.MIN_VALUE);

  LatenessRecorder(int records) {
    this.lateness = new long[records];
    this.seen = new AtomicIntegerArray(records);
    this.remaining = new CountDownLatch(records);
  }

  /** Records that record {@code index}, due at {@code dueAtMs}, started its attempt at {@code startedAtMs}. */
  void record(int index, long dueAtMs, long startedAtMs) {
    long latenessMs = startedAtMs - dueAtMs;
    if (index < 0 || index >= lateness.length) {
      throw new IllegalStateException("Record number " + index + " is outside the load of " + lateness.length);
    }
    if (seen.compareAndSet(index, 0, 1)) {
      lateness[index] = latenessMs;
      firstDue.accumulateAndGet(dueAtMs, Math::min);
      lastDue.accumulateAndGet(dueAtMs, Math::max);
      remaining.countDown();
    } else {
      duplicates.incrementAndGet();
    }
  }

  boolean awaitAll(Duration timeout) throws InterruptedException {
    return remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The numbers of up to {@code limit} records not received yet. */
  List<Integer> missing(int limit) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < lateness.length && out.size() < limit; i++) {
      if (seen.get(i) == 0) {
        out.add(i);
      }
    }
    return out;
  }

  long received() {
    return lateness.length - remaining.getCount();
  }

  long duplicates() {
    return duplicates.get();
  }

  /** The distribution, or an exception naming how many records never arrived. */
  LatenessSummary summary(String contender, String measuredAs) {
    long missing = remaining.getCount();
    if (missing > 0) {
      throw new IllegalStateException(contender + ": " + missing + " of " + lateness.length
          + " records never arrived (received " + received() + ")");
    }
    long[] sorted = lateness.clone();
    Arrays.sort(sorted);
    return new LatenessSummary(
        contender,
        measuredAs,
        sorted.length,
        duplicates.get(),
        lastDue.get() - firstDue.get(),
        sorted[0],
        percentile(sorted, 50),
        percentile(sorted, 99),
        percentile(sorted, 99.9),
        sorted[sorted.length - 1]);
  }

  /** Nearest-rank percentile. */
  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
