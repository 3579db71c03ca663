package io.hookline.dispatcher.application;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs synthetic input records through the delivery path before the dispatcher consumes real ones,
 * so that the JIT has compiled that path when the first events come. A cold JVM runs it
 * interpreted and compiles it while the events arrive: at 1,000 events/s on 2 cores it falls
 * seconds behind in its first seconds and needs about ten to catch up, whatever the receivers do.
 *
 * <p>It drives the {@link Feed} the way the input consumer drives a poll's records: each record is
 * tracked by an {@link OffsetTracker}, held by a {@link PendingRecord} until every outcome of it is
 * written, and at most {@code window} records are unfinished at once. It stops at the first of: {@code
 * maxEvents} records; {@code budget} passed; at least {@code minEvents} records and the JIT idle
 * (compiling less than {@link #IDLE_SHARE} of the time over the last {@link #IDLE_WINDOW}: what the
 * warm-up had to compile is compiled). Then it waits up to {@code drainTimeout} for the unfinished
 * ones. What the records reach (webhooks, outcome log, metrics) is the caller's: the warm-up itself
 * writes nothing anywhere.
 */
public final class JitWarmUp {

  /** Where the synthetic input records go: read and dispatched as the input consumer does. */
  @FunctionalInterface
  public interface Feed {

    /**
     * Reads synthetic record {@code offset} and dispatches it; {@code record} carries the reader's
     * hold, which the warm-up releases once this returns.
     */
    void submit(long offset, PendingRecord record);
  }

  /**
   * What a warm-up did: records submitted and finished (every outcome written), how long it took,
   * the CPU the whole process used meanwhile and the time the JIT spent compiling (each null when
   * the JVM does not tell).
   */
  public record Result(long submitted, long finished, Duration elapsed, Duration processCpu, Duration compiling,
      End end) {}

  /** Why a warm-up stopped taking records. */
  public enum End { EVENTS, JIT_IDLE, BUDGET, STOPPED }

  /** How long the JIT must have been (almost) idle for the warm-up to end before its budget. */
  static final Duration IDLE_WINDOW = Duration.ofMillis(500);
  /** Compiling less than this share of {@link #IDLE_WINDOW} (summed over the compiler threads) counts as idle. */
  static final double IDLE_SHARE = 0.1;

  private final Feed feed;
  private final long minEvents;
  private final long events;
  private final Duration budget;
  private final int window;
  private final Duration drainTimeout;
  private volatile boolean stopped;

  public JitWarmUp(Feed feed, long minEvents, long maxEvents, Duration budget, int window, Duration drainTimeout) {
    if (minEvents < 0 || maxEvents < minEvents || window < 1 || budget.isNegative()) {
      throw new IllegalArgumentException("0 <= minEvents <= maxEvents, window >= 1 and a budget >= 0 are needed");
    }
    this.feed = feed;
    this.minEvents = minEvents;
    this.events = maxEvents;
    this.budget = budget;
    this.window = window;
    this.drainTimeout = drainTimeout;
  }

  /** Runs the warm-up on the calling thread. */
  public Result run() {
    long start = System.nanoTime();
    long cpuBefore = processCpuNanos();
    long compilingBefore = compilingMillis();
    long deadline = start + budget.toNanos();
    Semaphore free = new Semaphore(window);
    AtomicLong finished = new AtomicLong();
    OffsetTracker tracker = new OffsetTracker();
    long offset = 0;
    End end = End.EVENTS;
    long idleFrom = start;
    long compilingThen = compilingBefore;
    try {
      while (offset < events) {
        long now = System.nanoTime();
        if (stopped) {
          end = End.STOPPED;
          break;
        }
        if (now - idleFrom >= IDLE_WINDOW.toNanos()) {
          long compiling = compilingMillis();
          if (offset >= minEvents && compiling >= 0 && compiling - compilingThen < IDLE_SHARE * IDLE_WINDOW.toMillis()) {
            end = End.JIT_IDLE;
            break;
          }
          idleFrom = now;
          compilingThen = compiling;
        }
        long left = deadline - now;
        if (left <= 0 || !free.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          end = End.BUDGET;
          break;
        }
        long o = offset++;
        tracker.track(o);
        PendingRecord record = new PendingRecord(() -> {
          tracker.complete(o);
          finished.incrementAndGet();
          free.release();
        }, tracker::revoked);
        try {
          feed.submit(o, record);
        } finally {
          record.release();
        }
      }
      if (!free.tryAcquire(window, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        tracker.revoke(); // work not started yet is dropped, as after a revocation
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long cpuAfter = processCpuNanos();
    long compilingAfter = compilingMillis();
    return new Result(offset, finished.get(), Duration.ofNanos(System.nanoTime() - start),
        cpuBefore < 0 || cpuAfter < 0 ? null : Duration.ofNanos(cpuAfter - cpuBefore),
        compilingBefore < 0 || compilingAfter < 0 ? null : Duration.ofMillis(compilingAfter - compilingBefore), end);
  }

  /** Stops submitting; {@link #run} returns once what was submitted finished or the drain timeout passed. */
  public void stop() {
    stopped = true;
  }

  private static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  private static long compilingMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
  }
}
