package io.hookline.dispatcher.application;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * Holds polled input back, where the caller asks for it, until the subscriptions include every
 * change written before it was polled; the batches passed after it wait behind it, so batches are
 * always dispatched in the order they were passed. With the input consumer asking where a change
 * may be pending, an event published after the API confirmed a subscription change is always
 * dispatched with the change applied: a new webhook gets it, a deleted or disabled one does not, an
 * updated one gets it at its new URL. The same goes for redeliveries, which look their webhook up
 * when they are sent.
 *
 * <p><b>Why a released batch sees the change (happens-before).</b> (1) The API answers a change W
 * only once W is committed, applied to its own {@code read_committed} copy (so W is below its
 * partition's last stable offset), and a subscription marker M written after that is acknowledged
 * on every partition of the events topic. (2) The event E is published after that answer, so in
 * its partition it follows M. (3) The input consumer asks for a look-up for the batch of every poll
 * that read a marker, and for the first batch after start or after it was assigned partitions (and
 * for every batch holding a redelivery, which is thus covered as in (4) without a marker). So either it read M itself, and M's batch asks, or M was read by the
 * partition's previous owner, which committed past it before this instance was assigned the
 * partition, and the first batch after that assignment asks; either batch was passed after W was
 * committed, and E's batch is that batch or one passed after it. (4) Each batch gets a sequence
 * number in {@link #pass}; a look-up takes the highest number passed so far as the batches it
 * covers, under the same lock, before it calls {@link SubscriptionSync#catchUp}; so it asks the
 * broker for the end offsets after every batch it covers was passed, and the offsets it gets (last
 * stable offsets, which never go back) include W. (5) The look-up completes only once the
 * subscriptions have applied everything below those offsets, W included, and only then releases
 * the batches it covers, with the batches behind them that asked for no look-up, up to the next
 * that did. Nothing else releases a batch that is behind one held. The order in which look-ups
 * complete does not matter: each one that completes releases the batches passed before it
 * started, which are the oldest waiting ones. A batch that asks for no look-up and has no held
 * batch before it is dispatched at once, on the gate's thread.
 *
 * <p><b>Cost.</b> While no subscription changes, no batch asks and none waits. A batch that asks
 * for a look-up waits for one that started after it was passed. Up to {@code lookupsInFlight}
 * look-ups run at once: a batch passed while fewer are under way starts
 * one at once and waits one round trip; a batch passed while that many are under way waits for
 * the next one to complete, which then starts a look-up covering every batch waiting by then. With
 * one look-up at a time, a batch passed just after one started waits almost two round trips; with
 * two, at most about one and a half, for at most twice the look-ups. No look-up runs while nothing
 * waits. Batches are released in the order they were passed, on the gate's own thread; the caller
 * never waits.
 *
 * <p>A look-up that fails (broker unreachable) is tried again after a short back-off, scheduled on
 * the gate's thread, for as long as it takes, covering every batch passed by then: nothing is
 * released ahead of the gate and nothing is dropped. If the subscriptions stopped for good
 * ({@link SubscriptionSync.Stopped}), the failure is reported to {@link FatalFailure} and held
 * batches stay unreleased (their records are not committed, so they are processed again after a
 * restart).
 *
 * <p>Thread-safe: batches are passed by the poll thread, look-ups complete on client threads and
 * are handled on the gate's thread.
 */
public final class SubscriptionGate implements AutoCloseable {

  /** Look-ups under way at once by default (see Cost above; measured with the delivery benchmark). */
  public static final int LOOKUPS_IN_FLIGHT = 2;

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionGate.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);
  private static final Duration MAX_RETRY = Duration.ofSeconds(2);

  /**
   * How long batches were held: how many were released, for how long in all and at most; how many
   * look-ups were started (retries included) and how long the successful ones took in all.
   */
  public record Holds(long batches, Duration total, Duration max, long lookups, Duration lookupTotal,
      long lookupsDone) {
    public Duration mean() {
      return batches == 0 ? Duration.ZERO : total.dividedBy(batches);
    }

    /** The mean time from a look-up's start until the subscriptions had caught up to it. */
    public Duration lookupMean() {
      return lookupsDone == 0 ? Duration.ZERO : lookupTotal.dividedBy(lookupsDone);
    }
  }

  private record Batch(Runnable work, int records, long passedAt, long seq, boolean lookUp) {}

  private final SubscriptionSync sync;
  private final FatalFailure fatal;
  private final DeliveryMetrics metrics;
  private final int lookupsInFlight;
  private final ScheduledExecutorService thread;
  private final Object lock = new Object();
  private final Deque<Batch> waiting = new ArrayDeque<>();
  private long passedSeq;
  private long lookUpSeq; // the last batch passed that asked for a look-up
  private long coveredSeq;
  private int underWay;
  private boolean closed;
  private int held;
  private long released;
  private long heldNanos;
  private long maxHeldNanos;
  private long lookups;
  private long lookupsDone;
  private long lookupNanos;

  public SubscriptionGate(SubscriptionSync sync, FatalFailure fatal) {
    this(sync, fatal, DeliveryMetrics.NONE);
  }

  /** Telling {@code metrics} how long each batch was held. */
  public SubscriptionGate(SubscriptionSync sync, FatalFailure fatal, DeliveryMetrics metrics) {
    this(sync, fatal, metrics, LOOKUPS_IN_FLIGHT);
  }

  /** With at most {@code lookupsInFlight} look-ups under way at once (at least 1). */
  public SubscriptionGate(SubscriptionSync sync, FatalFailure fatal, DeliveryMetrics metrics, int lookupsInFlight) {
    if (lookupsInFlight < 1) {
      throw new IllegalArgumentException("lookupsInFlight must be at least 1: " + lookupsInFlight);
    }
    this.sync = sync;
    this.fatal = fatal;
    this.metrics = metrics;
    this.lookupsInFlight = lookupsInFlight;
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
    pass(work, records, true);
  }

  /**
   * Runs {@code work} (the dispatch of {@code records} input records) on the gate's thread after
   * every batch passed before it; when {@code lookUp}, only once the subscriptions include every
   * change written before this call.
   */
  public void pass(Runnable work, int records, boolean lookUp) {
    long cover;
    Batch batch;
    synchronized (lock) {
      if (closed) {
        return; // shutting down: the records stay uncommitted and are processed again
      }
      batch = new Batch(work, records, System.nanoTime(), ++passedSeq, lookUp);
      held += records;
      if (lookUp || !waiting.isEmpty()) {
        waiting.add(batch);
        if (!lookUp) {
          return; // released right after the held batches before it
        }
        lookUpSeq = batch.seq();
        if (underWay >= lookupsInFlight) {
          return; // the next look-up to complete starts one covering this batch
        }
        underWay++;
        cover = startCovering();
        batch = null;
      } else {
        cover = -1;
      }
    }
    if (batch != null) {
      Batch now = batch;
      try {
        thread.execute(() -> release(List.of(now)));
      } catch (RejectedExecutionException closing) {
        // Closed meanwhile: the records stay uncommitted.
      }
      return;
    }
    lookUp(cover, 0);
  }

  /** Under {@code lock}: a look-up starting now covers every batch passed so far. */
  private long startCovering() {
    coveredSeq = passedSeq;
    lookups++;
    return passedSeq;
  }

  /** Input records passed and not released yet. */
  public int held() {
    synchronized (lock) {
      return held;
    }
  }

  /** How long released batches were held since start, and how many look-ups that took. */
  public Holds holds() {
    synchronized (lock) {
      return new Holds(released, Duration.ofNanos(heldNanos), Duration.ofNanos(maxHeldNanos), lookups,
          Duration.ofNanos(lookupNanos), lookupsDone);
    }
  }

  /** Asks for a catch-up covering the batches up to {@code cover}, all passed before this call. */
  private void lookUp(long cover, int failures) {
    long started = System.nanoTime();
    CompletableFuture<Void> caughtUp;
    try {
      caughtUp = sync.catchUp();
    } catch (RuntimeException e) {
      caughtUp = CompletableFuture.failedFuture(e);
    }
    try {
      caughtUp.whenCompleteAsync((ok, error) -> lookedUp(cover, started, failures, error), thread);
    } catch (RejectedExecutionException closing) {
      // Closed meanwhile: the held records stay uncommitted.
    }
  }

  /** On the gate's thread: releases the covered batches and starts the next look-up, or retries. */
  private void lookedUp(long cover, long started, int failures, Throwable error) {
    if (error != null) {
      failed(failures, error);
      return;
    }
    if (failures > 0) {
      LOG.info("Subscriptions caught up after {} failed attempts", failures);
    }
    List<Batch> covered = new ArrayList<>();
    long next = -1;
    synchronized (lock) {
      // The covered batches, and after them those that asked for no look-up, up to the next that did.
      while (!waiting.isEmpty() && (waiting.peekFirst().seq() <= cover || !waiting.peekFirst().lookUp())) {
        covered.add(waiting.pollFirst());
      }
      underWay--;
      lookupsDone++;
      lookupNanos += System.nanoTime() - started;
      if (!closed && lookUpSeq > coveredSeq) {
        underWay++;
        next = startCovering();
      }
    }
    if (next >= 0) {
      // Started before releasing, so it overlaps the dispatch of these batches.
      lookUp(next, 0);
    }
    release(covered);
  }

  /** On the gate's thread: a look-up failed; it is tried again after a back-off unless that cannot help. */
  private void failed(int failures, Throwable error) {
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
      thread.schedule(() -> retry(failures + 1), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // Closed meanwhile: the held records stay uncommitted.
    }
  }

  /** On the gate's thread, after a back-off: a new look-up covering every batch passed by now. */
  private void retry(int failures) {
    long cover;
    synchronized (lock) {
      if (closed) {
        return;
      }
      cover = startCovering();
    }
    lookUp(cover, failures);
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
    LOG.info("Subscription gate released {} batches after {} look-ups ({} ms each on average), held {} ms on average, "
        + "{} ms at most", h.batches(), h.lookups(), String.format("%.2f", h.lookupMean().toNanos() / 1e6),
        String.format("%.2f", h.mean().toNanos() / 1e6), String.format("%.1f", h.max().toNanos() / 1e6));
  }
}
