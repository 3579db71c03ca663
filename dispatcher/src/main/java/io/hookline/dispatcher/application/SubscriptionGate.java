package io.hookline.dispatcher.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds polled input back until the subscriptions include every change written before it was
 * polled. The API confirms a subscription change once it is on the webhooks topic, so an event
 * published after that confirmation is always dispatched with the change applied: a new webhook
 * gets it, a deleted or disabled one does not, an updated one gets it at its new URL. The same goes
 * for redeliveries, which look their webhook up when they are sent.
 *
 * <p>For each batch, the subscriptions are asked to catch up ({@link SubscriptionSync#catchUp})
 * after the batch was polled, hence after its records were published; the batch is released once
 * they have. One catch-up at a time: batches passed while one is under way wait for the next, which
 * covers them all, so there is at most one look-up per poll and none per record. Batches are
 * released in the order they were passed, on the gate's own thread; the caller never waits.
 *
 * <p>A catch-up that fails (broker unreachable) is tried again after a short back-off, scheduled on
 * the gate's thread, for as long as it takes: nothing is released ahead of the gate and nothing is
 * dropped. If the subscriptions stopped for good ({@link SubscriptionSync.Stopped}), the failure is
 * reported to {@link FatalFailure} and held batches stay unreleased (their records are not
 * committed, so they are processed again after a restart).
 *
 * <p>Thread-safe: batches are passed by the poll thread, catch-ups complete on client threads.
 */
public final class SubscriptionGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionGate.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);
  private static final Duration MAX_RETRY = Duration.ofSeconds(2);

  /** How long batches were held: how many were released, for how long in all and at most. */
  public record Holds(long batches, Duration total, Duration max) {
    public Duration mean() {
      return batches == 0 ? Duration.ZERO : total.dividedBy(batches);
    }
  }

  private record Batch(Runnable work, int records, long passedAt) {}

  private final SubscriptionSync sync;
  private final FatalFailure fatal;
  private final DeliveryMetrics metrics;
  private final ScheduledExecutorService thread;
  private final Object lock = new Object();
  private List<Batch> waiting = new ArrayList<>();
  private boolean catchingUp;
  private boolean closed;
  private int held;
  private long released;
  private long heldNanos;
  private long maxHeldNanos;

  public SubscriptionGate(SubscriptionSync sync, FatalFailure fatal) {
    this(sync, fatal, DeliveryMetrics.NONE);
  }

  /** Telling {@code metrics} how long each batch was held. */
  public SubscriptionGate(SubscriptionSync sync, FatalFailure fatal, DeliveryMetrics metrics) {
    this.sync = sync;
    this.fatal = fatal;
    this.metrics = metrics;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dispatcher-subscription-gate");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code work} (the dispatch of {@code records} input records) once the subscriptions include
   * every change written before this call; on the gate's thread, never on the caller's.
   */
  public void pass(Runnable work, int records) {
    synchronized (lock) {
      if (closed) {
        return; // shutting down: the records stay uncommitted and are processed again
      }
      waiting.add(new Batch(work, records, System.nanoTime()));
      held += records;
      if (catchingUp) {
        return;
      }
      catchingUp = true;
    }
    catchUp(new ArrayList<>(), 0);
  }

  /** Input records passed and not released yet. */
  public int held() {
    synchronized (lock) {
      return held;
    }
  }

  /** How long released batches were held since start. */
  public Holds holds() {
    synchronized (lock) {
      return new Holds(released, Duration.ofNanos(heldNanos), Duration.ofNanos(maxHeldNanos));
    }
  }

  /** Starts a catch-up covering {@code carried} (of a failed one) and every batch waiting now. */
  private void catchUp(List<Batch> carried, int failures) {
    List<Batch> covered = carried;
    synchronized (lock) {
      if (closed) {
        return;
      }
      covered.addAll(waiting);
      waiting = new ArrayList<>();
    }
    CompletableFuture<Void> caughtUp;
    try {
      caughtUp = sync.catchUp();
    } catch (RuntimeException e) {
      caughtUp = CompletableFuture.failedFuture(e);
    }
    caughtUp.whenCompleteAsync((ok, error) -> caughtUp(covered, failures, error), thread);
  }

  /** On the gate's thread: releases the covered batches, or schedules the catch-up again. */
  private void caughtUp(List<Batch> covered, int failures, Throwable error) {
    if (error != null) {
      Throwable cause = unwrap(error);
      if (cause instanceof SubscriptionSync.Stopped) {
        fatal.report(cause);
        return;
      }
      long delay = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures, 10));
      if (failures % 20 == 0) {
        LOG.warn("Cannot tell whether the subscriptions are up to date ({}); {} input records held, trying again in {} ms",
            cause.toString(), held(), delay);
      }
      try {
        thread.schedule(() -> catchUp(covered, failures + 1), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // Closed meanwhile: the held records stay uncommitted.
      }
      return;
    }
    if (failures > 0) {
      LOG.info("Subscriptions caught up after {} failed attempts", failures);
    }
    boolean again;
    synchronized (lock) {
      again = !waiting.isEmpty() && !closed;
      catchingUp = again;
    }
    if (again) {
      // Started before releasing, so it overlaps the dispatch of these batches; it completes on this thread after it.
      catchUp(new ArrayList<>(), 0);
    }
    release(covered);
  }

  private void release(List<Batch> batches) {
    for (Batch b : batches) {
      long heldFor = System.nanoTime() - b.passedAt();
      metrics.gateHeld(heldFor);
      LOG.debug("Releasing {} input records after {} us", b.records(), heldFor / 1000);
      try {
        b.work().run();
      } catch (RuntimeException e) {
        fatal.report(e);
      } finally {
        synchronized (lock) {
          held -= b.records();
          released++;
          heldNanos += heldFor;
          maxHeldNanos = Math.max(maxHeldNanos, heldFor);
        }
      }
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Releases nothing more; held records stay unreleased (not committed). Waits for a release under way. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("The subscription gate did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Holds h = holds();
    LOG.info("Subscription gate released {} batches, held {} ms on average, {} ms at most", h.batches(),
        String.format("%.1f", h.mean().toNanos() / 1e6), String.format("%.1f", h.max().toNanos() / 1e6));
  }
}
