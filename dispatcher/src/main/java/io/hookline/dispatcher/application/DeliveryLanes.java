package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.CircuitBreaker;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fair per-webhook lanes over shared in-flight slots, and each webhook's circuit breaker.
 *
 * <p>Each webhook has its own FIFO lane with at most {@code maxInFlightPerWebhook} requests in
 * flight, and lanes share {@code maxInFlight} slots round-robin, one request per lane per turn, so a
 * slow or dead endpoint only ever occupies its own slots and never delays deliveries to healthy
 * ones. A lane is forgotten when idle with a pristine breaker.
 *
 * <p>After {@code breakerFailureThreshold} consecutive attempts that timed out or could not connect
 * a lane's {@link CircuitBreaker} opens for {@code breakerOpenDuration}: its queue and each new
 * execution are handed back as a {@link Diversion} to be parked. Then it is half-open and lets one
 * probe through (the next execution) while the others wait in the lane; an answer closes it,
 * trouble opens it again.
 *
 * <p>A slow lane is bounded too: when a webhook has {@code maxQueuedPerWebhook} executions waiting
 * and working through them would take longer than parking them (waiting executions times its
 * recent average request time, over its in-flight slots, exceeds the open duration), its further
 * new executions are diverted. A fast lane is never diverted however long its queue (parking would
 * only delay it), and a parked execution that comes back waits in its lane whatever its length. So
 * one lane holds about {@code max(maxQueuedPerWebhook, openDuration x its throughput)} executions.
 *
 * <p>A webhook whose receiver asked for a pause ({@link #pause}) sends nothing until the pause
 * ends: its queue and each new execution are handed back as a {@link Diversion} due when the pause
 * ends, so they wait on the parked topic (bounded memory, offsets keep committing) and come back in
 * the order they were parked. Until every one of them is back, new executions wait behind them
 * ({@link PauseDrain}). The pause itself is held here, in memory: after a restart or a
 * rebalance the webhook's new executions go out until its receiver asks again.
 *
 * <p>A webhook with a rate limit ({@code rateLimits}) starts at most that many requests per second
 * of the clock ({@link RateLimiter}): when its second is used up, its lane waits, not ready, until
 * {@code wakeAt} calls {@link #wake} at the next second; its executions keep their order and other
 * lanes go on. Its queue is bounded like a slow lane's, its drain time counted at its rate, and
 * also against executions that come back parked (they are parked again, for the same attempt).
 *
 * <p>Every method takes the one lock; tasks to start and diversions are collected into the
 * caller's lists and acted on after the lock is released.
 */
final class DeliveryLanes {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLanes.class);
  /** Why executions of a paused webhook are parked (the parked record's header). */
  static final String THROTTLED = "THROTTLED";

  /** The executions of one webhook: queued in order, how many of its requests are in flight, and its breaker. */
  private static final class Lane {
    final String webhookId;
    final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
    final CircuitBreaker breaker;
    int inFlight;
    boolean ready;
    /** Moving average of how long its requests took, in ms (0 until one finished). */
    double averageCallMillis;
    /** Epoch ms until which its receiver asked for nothing to be sent; 0 when it never did. */
    long pausedUntil;
    /** Its rate limit's count of starts, null while it has none. */
    RateLimiter limiter;
    /** Epoch ms of the next second its rate limit allows a start in, while it has used up the current one; else 0. */
    long rateWaitUntil;
    final PauseDrain drain = new PauseDrain(); // its executions parked for a pause, and new ones behind them

    Lane(String webhookId, CircuitBreaker breaker) {
      this.webhookId = webhookId;
      this.breaker = breaker;
    }
  }

  private final DeliveryLimits limits;
  private final IsolationLimits isolation;
  private final Clock clock;
  private final AtomicLong breakersOpened = new AtomicLong();
  private final EndpointMonitor monitor;
  private final Function<String, Integer> rateLimits;
  private final BiConsumer<String, Long> wakeAt;
  private final Predicate<String> receivesRedeliveries;

  private final Object lock = new Object();
  private final Map<String, Lane> lanes = new HashMap<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private int inFlight;
  private int admitted;
  /** Diverted executions handed over for parking and not parked yet. */
  private int diverting;
  private boolean stopped;

  /** {@code monitor} is told when a breaker opens from closed, and when it closes again (after the lock is released). */
  DeliveryLanes(DeliveryLimits limits, IsolationLimits isolation, Clock clock, EndpointMonitor monitor) {
    this(limits, isolation, clock, monitor, webhookId -> null, (webhookId, at) -> {}, webhookId -> true);
  }

  /**
   * @param rateLimits a webhook's deliveries per second, null when unlimited
   * @param wakeAt asked to call {@link #wake} for the webhook at the epoch ms given; called under the
   *     lock, so it must only hand the wake-up over (to a timer), never block or call back
   * @param receivesRedeliveries whether this instance receives a webhook's parked executions back
   */
  DeliveryLanes(DeliveryLimits limits, IsolationLimits isolation, Clock clock, EndpointMonitor monitor,
      Function<String, Integer> rateLimits, BiConsumer<String, Long> wakeAt, Predicate<String> receivesRedeliveries) {
    this.limits = limits;
    this.isolation = isolation;
    this.clock = clock;
    this.monitor = monitor;
    this.rateLimits = rateLimits;
    this.wakeAt = wakeAt;
    this.receivesRedeliveries = receivesRedeliveries;
  }

  /** An execution: queued in its lane, or diverted when its breaker is open or its lane too slow ({@link PauseDrain}: {@code returned}). */
  void admit(DeliveryTask task, boolean returned, List<DeliveryTask> start, List<Diversion> diverted) {
    synchronized (lock) {
      Lane lane = lanes.computeIfAbsent(task.webhookId(), this::newLane);
      long now = clock.millis();
      if (returned) {
        lane.drain.cameBack(now); // joins after it, in schedule
      } else {
        lane.drain.joinHeld(lane.queue, now, lane.webhookId, wakeAt); // before it
      }
      if (lane.pausedUntil > now) {
        diverted.add(new Diversion(task, THROTTLED, lane.pausedUntil));
        lane.drain.parked(1, lane.pausedUntil, now);
      } else if (!returned && lane.drain.draining(now)) {
        admitted += lane.drain.waitBehind(task, receivesRedeliveries.test(lane.webhookId), isolation, now, diverted);
      } else if (lane.breaker.peek(clock.millis()) == CircuitBreaker.Permit.REFUSE) {
        diverted.add(new Diversion(task, FailureReason.CIRCUIT_OPEN.name()));
      } else if (task.parkable() && lane.queue.size() >= isolation.maxQueuedPerWebhook() && slowerThanParking(lane)) {
        diverted.add(new Diversion(task, "QUEUE_FULL"));
      } else if (lane.limiter != null && lane.queue.size() >= isolation.maxQueuedPerWebhook() && slowerThanParking(lane)) {
        // A rate-limited lane drains at its rate, however the endpoint does: what comes back parked
        // is parked again rather than growing the lane without bound (parking costs no attempt).
        diverted.add(new Diversion(task, "QUEUE_FULL", clock.millis() + isolation.breakerOpenDuration().toMillis()));
      } else {
        lane.queue.addLast(task);
        admitted++;
      }
      schedule(lane, start, diverted);
      forgetIfIdle(lane);
    }
  }

  /**
   * A request of {@code task} ended; {@code signal}: what it said about the endpoint; {@code
   * callMillis}: how long the call took, -1 when the endpoint was not called.
   */
  void finished(DeliveryTask task, CircuitBreaker.Signal signal, long callMillis, List<DeliveryTask> start,
      List<Diversion> diverted) {
    String webhookId = task.webhookId();
    long now = clock.millis();
    boolean failing = false;
    boolean recovered = false;
    int failures = 0;
    synchronized (lock) {
      Lane lane = lanes.get(webhookId);
      boolean wasOpen = lane.breaker.state(now) != CircuitBreaker.State.CLOSED;
      failures = lane.breaker.consecutiveFailures() + 1;
      lane.inFlight--;
      inFlight--;
      admitted--;
      if (callMillis >= 0) {
        lane.averageCallMillis = lane.averageCallMillis == 0 ? callMillis : 0.8 * lane.averageCallMillis + 0.2 * callMillis;
      }
      if (lane.breaker.record(signal, task.probe(), now)) {
        breakersOpened.incrementAndGet();
        failing = !wasOpen;
        LOG.warn("Webhook {} keeps timing out or failing: circuit open for {}, its executions are parked", webhookId,
            isolation.breakerOpenDuration());
      } else {
        recovered = wasOpen && lane.breaker.state(now) == CircuitBreaker.State.CLOSED;
      }
      schedule(lane, start, diverted);
      forgetIfIdle(lane);
      if (inFlight == 0) {
        lock.notifyAll();
      }
    }
    if (failing) {
      monitor.breakerOpened(webhookId, failures, now);
    } else if (recovered) {
      monitor.breakerClosed(webhookId, now);
    }
  }

  /** The rate limit of {@code webhookId} allows a start again: its lane goes on. */
  void wake(String webhookId, List<DeliveryTask> start, List<Diversion> diverted) {
    synchronized (lock) {
      Lane lane = lanes.get(webhookId);
      if (lane != null) {
        lane.rateWaitUntil = 0;
        schedule(lane, start, diverted);
        forgetIfIdle(lane);
      }
    }
  }

  /**
   * The receiver of {@code webhookId} asked for nothing to be sent until {@code until} (epoch ms):
   * its queued executions are diverted, due then, and so is every new one until then. The
   * execution that was answered so is parked by the caller, and counted out here.
   */
  void pause(String webhookId, long until, List<Diversion> diverted) {
    synchronized (lock) {
      Lane lane = lanes.computeIfAbsent(webhookId, this::newLane);
      lane.pausedUntil = Math.max(lane.pausedUntil, until);
      lane.drain.parked(1, lane.pausedUntil, clock.millis());
      admitted -= lane.drain.parkIfPaused(lane.queue, lane.pausedUntil, clock.millis(), diverted);
    }
  }

  /** {@code count} diverted executions are on their way to be parked; they count as backlog until then. */
  void divertingStarted(int count) {
    synchronized (lock) {
      diverting += count;
    }
  }

  void divertingEnded(int count) {
    synchronized (lock) {
      diverting -= count;
      lock.notifyAll();
    }
  }

  /** Executions admitted and not finished (queued or in flight), and diverted ones not parked yet. */
  int admitted() {
    synchronized (lock) {
      return admitted + diverting;
    }
  }

  int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** Webhooks whose breaker is open or half-open now (a lane with a breaker that is not closed is kept). */
  int breakersOpen() {
    long now = clock.millis();
    synchronized (lock) {
      int open = 0;
      for (Lane lane : lanes.values()) {
        if (lane.breaker.state(now) != CircuitBreaker.State.CLOSED) {
          open++;
        }
      }
      return open;
    }
  }

  long breakersOpened() {
    return breakersOpened.get();
  }

  /** Starts no more requests; queued executions stay unfinished. */
  void stop() {
    synchronized (lock) {
      stopped = true;
    }
  }

  /** Waits until no request is in flight and nothing is being parked; false if {@code timeout} passed first. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (inFlight > 0 || diverting > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /** Under the lock: whether working through the lane's queue would take longer than parking. */
  private boolean slowerThanParking(Lane lane) {
    double drainMillis = lane.averageCallMillis * lane.queue.size() / limits.maxInFlightPerWebhook();
    if (lane.limiter != null) {
      drainMillis = Math.max(drainMillis, 1000.0 * lane.queue.size() / lane.limiter.perSecond());
    }
    return drainMillis > isolation.breakerOpenDuration().toMillis();
  }

  private Lane newLane(String webhookId) {
    return new Lane(webhookId,
        new CircuitBreaker(isolation.breakerFailureThreshold(), isolation.breakerOpenDuration().toMillis()));
  }

  /**
   * Under the lock: diverts the lane's queue if its breaker is open, then hands free slots to ready
   * lanes, round-robin, one request per lane per turn.
   */
  private void schedule(Lane lane, List<DeliveryTask> out, List<Diversion> diverted) {
    long now = clock.millis();
    admitted -= lane.drain.parkIfPaused(lane.queue, lane.pausedUntil, now, diverted);
    lane.drain.joinHeld(lane.queue, now, lane.webhookId, wakeAt);
    if (!lane.queue.isEmpty() && lane.breaker.peek(now) == CircuitBreaker.Permit.REFUSE) {
      for (DeliveryTask t : lane.queue) {
        diverted.add(new Diversion(t, FailureReason.CIRCUIT_OPEN.name()));
      }
      admitted -= lane.queue.size();
      lane.queue.clear();
    }
    markReady(lane, now);
    if (stopped) {
      return;
    }
    while (inFlight < limits.maxInFlight() && !ready.isEmpty()) {
      Lane next = ready.pollFirst();
      next.ready = false;
      DeliveryTask task = next.queue.pollFirst();
      if (task == null) {
        // Its queue was diverted after it became ready.
        forgetIfIdle(next);
        continue;
      }
      if (task.record().abandoned()) {
        // Its partition went to another consumer, which processes the record again.
        admitted--;
      } else if (rateLimited(next, now)) {
        next.queue.addFirst(task); // waits for the next second, woken by wakeAt
        continue;
      } else {
        CircuitBreaker.Permit permit = next.breaker.acquire(now);
        if (permit == CircuitBreaker.Permit.CALL || permit == CircuitBreaker.Permit.PROBE) {
          next.inFlight++;
          inFlight++;
          DeliveryTask counted = next.limiter == null ? task : task.startingAt(now);
          out.add(permit == CircuitBreaker.Permit.PROBE ? counted.asProbe() : counted);
        } else {
          next.queue.addFirst(task); // waits for the probe's answer
          continue;
        }
      }
      markReady(next, now);
      forgetIfIdle(next);
    }
  }

  /**
   * Under the lock: true when the lane's rate limit allows no start now (it then waits for the
   * next second, and a wake-up is asked for); false, with the start counted, when it allows one.
   */
  private boolean rateLimited(Lane lane, long now) {
    Integer perSecond = rateLimits.apply(lane.webhookId);
    if (perSecond == null) {
      lane.limiter = null;
      return false;
    }
    if (lane.limiter == null || lane.limiter.perSecond() != perSecond) {
      lane.limiter = new RateLimiter(perSecond);
    }
    long next = lane.limiter.tryStart(now);
    if (next == 0) {
      return false;
    }
    lane.rateWaitUntil = next;
    wakeAt.accept(lane.webhookId, next);
    return true;
  }

  private void markReady(Lane lane, long now) {
    if (!lane.ready && !lane.queue.isEmpty() && lane.inFlight < limits.maxInFlightPerWebhook()
        && lane.pausedUntil <= now && lane.rateWaitUntil <= now) {
      CircuitBreaker.Permit permit = lane.breaker.peek(now);
      if (permit == CircuitBreaker.Permit.CALL || permit == CircuitBreaker.Permit.PROBE) {
        ready.addLast(lane);
        lane.ready = true;
      }
    }
  }

  private void forgetIfIdle(Lane lane) {
    long now = clock.millis();
    if (lane.inFlight == 0 && lane.queue.isEmpty() && lane.breaker.pristine() && lane.pausedUntil <= now
        && lane.drain.idle(now)
        && (lane.limiter == null || !lane.limiter.usedAt(now))) {
      lanes.remove(lane.webhookId);
    }
  }
}
