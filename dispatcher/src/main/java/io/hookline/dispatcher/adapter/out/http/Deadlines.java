package io.hookline.dispatcher.adapter.out.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails each watched future that is still running one timeout after it was watched, at most one
 * tick late. Every future gets the same timeout, so deadlines come in the order futures are
 * watched: one queue in that order, swept from its head at every tick, does constant work per
 * request. {@link CompletableFuture#orTimeout} would schedule and cancel a task in a shared delay
 * queue for every request, whose cancelled tasks stay queued until their deadline (2-3% of the
 * dispatcher's CPU in a JFR profile of {@code ./bench delivery}).
 *
 * <p>Memory: finished futures leave the queue when they reach its head, so it holds at most the
 * futures watched over one timeout (about 30,000 small entries at 6,000 requests/s and 5 s).
 *
 * <p>Thread-safe.
 */
final class Deadlines implements AutoCloseable {

  private record Watched(long deadline, CompletableFuture<?> future) {}

  private final long timeoutNanos;
  private final ConcurrentLinkedQueue<Watched> queue = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService ticker;

  Deadlines(Duration timeout, Duration tick) {
    this.timeoutNanos = timeout.toNanos();
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "webhook-deadlines");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(this::sweep, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Returns {@code future}, which fails with a {@link TimeoutException} if still running one timeout from now. */
  <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
    queue.add(new Watched(System.nanoTime() + timeoutNanos, future));
    return future;
  }

  /** Futures watched whose entry is still queued (running, or finished behind a running one). */
  int queued() {
    return queue.size();
  }

  void sweep() {
    long now = System.nanoTime();
    for (Watched w; (w = queue.peek()) != null; ) {
      boolean done = w.future().isDone();
      if (!done && w.deadline() - now > 0) {
        return; // every later entry has a later deadline
      }
      queue.poll();
      if (!done) {
        w.future().completeExceptionally(new TimeoutException("no complete answer within " + Duration.ofNanos(timeoutNanos)));
      }
    }
  }

  /** Stops the ticks; futures still watched are no longer failed. */
  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
