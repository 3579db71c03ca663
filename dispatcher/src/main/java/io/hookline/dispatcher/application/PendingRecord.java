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

  public PendingRecord(Runnable onComplete, BooleanSupplier abandoned) {
    this.onComplete = onComplete;
    this.abandoned = abandoned;
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
