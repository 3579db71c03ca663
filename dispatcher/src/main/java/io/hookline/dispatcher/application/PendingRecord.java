package io.hookline.dispatcher.application;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One input record whose outcomes are still being written. It starts with one hold (released by
 * whoever finishes reading the record), gains one per execution it fans out to, and is complete
 * when every hold is released: only then may its offset be committed.
 */
public final class PendingRecord {

  private final AtomicInteger holds = new AtomicInteger(1);
  private final Runnable onComplete;
  private final BooleanSupplier abandoned;
  /** Told what became of the one execution of an ordered webhook this record carries; null for other records. */
  private final Fate fate;

  /** What became of an execution: {@code ended} when for good (delivered, dead-lettered), else it waits to be redelivered. */
  interface Fate {
    void decided(boolean ended);
  }

  public PendingRecord(Runnable onComplete, BooleanSupplier abandoned) {
    this(onComplete, abandoned, null);
  }

  PendingRecord(Runnable onComplete, BooleanSupplier abandoned, Fate fate) {
    this.onComplete = onComplete;
    this.abandoned = abandoned;
    this.fate = fate;
  }

  /**
   * What became of its execution, told before the records that say so are written: {@code ended}
   * for good, or not (a retry or a parked record brings it back).
   */
  void decided(boolean ended) {
    if (fate != null) {
      fate.decided(ended);
    }
  }

  void retain() {
    holds.incrementAndGet();
  }

  public void release() {
    int left = holds.decrementAndGet();
    if (left == 0) {
      onComplete.run();
    } else if (left < 0) {
      throw new IllegalStateException("record released more often than retained");
    }
  }

  /**
   * Releases one hold once every write in {@code writes} is acknowledged; if one fails, the hold
   * is never released and the failure is reported as fatal, so the record is not committed.
   */
  void releaseWhenWritten(List<CompletableFuture<Void>> writes, FatalFailure fatal) {
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
      if (error != null) {
        fatal.report(error);
      } else {
        release();
      }
    });
  }

  /** True once its partition was revoked: the new owner processes it again, so work not started is dropped. */
  boolean abandoned() {
    return abandoned.getAsBoolean();
  }
}
