package io.hookline.dispatcher.application;

import io.hookline.avro.Attempt;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.domain.CircuitBreaker;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.WebhookSigner;
import io.hookline.schemas.EventCodec;
import io.hookline.runtime.SecretCipher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine: turns input records into executions, sends them without ever blocking the
 * caller, and writes every outcome (attempt, retry request, failed execution).
 *
 * <p>Each webhook has its own FIFO lane with at most {@code maxInFlightPerWebhook} requests in
 * flight, and lanes share {@code maxInFlight} slots round-robin, so a slow or dead endpoint only
 * ever occupies its own slots and never delays deliveries to healthy ones. Order within a webhook
 * is the order of admission for starting requests; with more than one slot per webhook, requests
 * to one webhook may overlap.
 *
 * <p><b>Isolation</b> ({@link IsolationLimits}). Each webhook has a {@link CircuitBreaker}: after
 * {@code breakerFailureThreshold} consecutive attempts that timed out or could not connect, it opens
 * for {@code breakerOpenDuration}. While it is open the webhook's queued and new
 * executions are <em>parked</em>: written as retry requests for the same attempt number to the
 * parked topic, due one open duration later, and their input records are released as soon as that
 * write is acknowledged, so the commit point moves on and they hold no memory. The retry scheduler
 * brings them back through the redeliveries topic, marked as parked. Then the breaker is half-open
 * and lets one probe through (the next execution of the webhook) while the others wait in the lane;
 * an answer closes it, trouble opens it again. An execution that comes back parked, or a manual
 * retry, is never parked again for the same attempt: if the breaker is open it is tried without a
 * call, an attempt failed as {@code CIRCUIT_OPEN} that follows the retry schedule like any failed
 * attempt. So parking never costs an attempt, every execution is tried, and an endpoint that stays
 * dead still ends every execution in the dead letter with the usual number of retries.
 *
 * <p>Diverted executions are parked on a thread of their own ({@link #parkingThread()}), never on
 * the threads that complete deliveries, and count as admitted until they are.
 *
 * <p>A slow lane is bounded too: when a webhook has {@code maxQueuedPerWebhook} executions waiting
 * and working through them would take longer than parking them (waiting executions times its
 * recent average request time, over its in-flight slots, exceeds the open duration), its further
 * new executions are parked. A fast lane is never parked however long its queue (parking would only
 * delay it), and a parked execution that comes back waits in its lane whatever its length. So one
 * lane holds about {@code max(maxQueuedPerWebhook, openDuration x its throughput)} executions. Parking
 * is not an attempt and writes no attempt record; a parked execution keeps its place in neither the
 * lane nor the order of the webhook's other executions (like a retry).
 *
 * <p>An input record is released (and so may be committed) only once every outcome record of every
 * execution it caused is acknowledged by the {@link OutcomeLog}. If an outcome cannot be written,
 * the record is never released and {@link FatalFailure} is reported.
 *
 * <p>Signing secrets are stored encrypted ({@link SecretCipher}); each stored value is decrypted
 * once and then kept in clear ({@link SigningSecrets}). A secret that does not decrypt fails the attempt as
 * {@code SECRET_UNREADABLE} without calling the receiver.
 *
 * <p>Thread-safe: records are submitted by the poll thread, requests complete on HTTP threads.
 */
public final class DeliveryService {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
  /** Stored secrets kept in clear at most: a few MiB, more than the webhooks of most deployments. */
  private static final int SIGNING_SECRETS_KEPT = 100_000;

  private final Subscriptions subscriptions;
  private final WebhookEndpoint endpoint;
  private final OutcomeLog log;
  private final RetryPolicy policy;
  private final DeliveryLimits limits;
  private final Clock clock;
  private final FatalFailure fatal;
  private final SigningSecrets signingSecrets;
  private final IsolationLimits isolation;
  private final Executor diversions;
  private final AtomicLong parked = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong breakersOpened = new AtomicLong();

  private final Object lock = new Object();
  private final Map<String, Lane> lanes = new HashMap<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private final ThreadLocal<ArrayDeque<Task>> trampoline = new ThreadLocal<>();
  private int inFlight;
  private int admitted;
  /** Diverted executions handed to {@link #diversions} and not parked yet. */
  private int diverting;
  private boolean stopped;

  /**
   * The executions of one webhook: queued in order, how many of its requests are in flight, and
   * its breaker. Forgotten when idle with a pristine breaker.
   */
  private static final class Lane {
    final String webhookId;
    final ArrayDeque<Task> queue = new ArrayDeque<>();
    final CircuitBreaker breaker;
    int inFlight;
    boolean ready;
    /** Moving average of how long its requests took, in ms (0 until one finished). */
    double averageCallMillis;

    Lane(String webhookId, CircuitBreaker breaker) {
      this.webhookId = webhookId;
      this.breaker = breaker;
    }
  }

  /**
   * @param parkable false once parked for this attempt, and for manual retries
   * @param probe sent as its breaker's half-open probe
   */
  private record Task(Execution execution, PendingRecord record, boolean parkable, boolean probe) {
    Task asProbe() {
      return new Task(execution, record, parkable, true);
    }
  }

  /** An execution taken out of its lane (or never let in), and why. */
  private record Diverted(Task task, String reason) {}

  /** Parked executions, executions tried without a call because their breaker was open, breakers opened. */
  public record IsolationCounts(long parked, long refused, long breakersOpened) {}

  /** Without isolation: no breakers, no per-webhook bound. */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, OutcomeLog log, RetryPolicy policy,
      DeliveryLimits limits, Clock clock, FatalFailure fatal, SecretCipher cipher) {
    this(subscriptions, endpoint, log, policy, limits, IsolationLimits.OFF, clock, fatal, cipher);
  }

  /** Diversions (parking) on the caller's thread. */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, OutcomeLog log, RetryPolicy policy,
      DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal, SecretCipher cipher) {
    this(subscriptions, endpoint, log, policy, limits, isolation, clock, fatal, cipher, Runnable::run);
  }

  /**
   * @param diversions where diverted executions are parked (or tried without a call): when a
   *     breaker opens, its whole queue is parked at once, which is work the threads that complete
   *     healthy deliveries should not wait behind ({@link #parkingThread()})
   */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, OutcomeLog log, RetryPolicy policy,
      DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal, SecretCipher cipher,
      Executor diversions) {
    this.diversions = diversions;
    this.isolation = isolation;
    this.subscriptions = subscriptions;
    this.endpoint = endpoint;
    this.log = log;
    this.policy = policy;
    this.limits = limits;
    this.clock = clock;
    this.fatal = fatal;
    this.signingSecrets = new SigningSecrets(cipher, SIGNING_SECRETS_KEPT);
  }

  /** Fans {@code event} out to its subscribers as first attempts. No subscriber: nothing to do. */
  public void dispatch(Event event, PendingRecord record) {
    List<Webhook> subscribers = subscriptions.subscribersOf(event.getPortal(), event.getEvent());
    if (subscribers.isEmpty()) {
      return;
    }
    byte[] body = EventCodec.toJson(event);
    for (Webhook w : subscribers) {
      submit(Execution.first(event, body, w.getId()), record, true);
    }
  }

  /** Makes the attempt a retry request asks for (scheduled retry come due, or a manual retry). */
  public void redeliver(RetryRequest request, PendingRecord record) {
    redeliver(request, false, record);
  }

  /**
   * Makes the attempt a retry request asks for; {@code wasParked}: the request is a parked
   * execution coming back, so it is not parked again for this attempt.
   */
  public void redeliver(RetryRequest request, boolean wasParked, PendingRecord record) {
    submit(Execution.redelivery(request), record, !wasParked && request.getTrigger() != Trigger.MANUAL);
  }

  /** Keeps an undecodable input record, byte for byte, with the reason. */
  public void reject(InvalidRecord invalid, PendingRecord record) {
    LOG.warn("Invalid record {}-{}@{}: {} {}", invalid.sourceTopic(), invalid.sourcePartition(), invalid.sourceOffset(),
        invalid.reason(), invalid.message());
    record.retain();
    whenWritten(List.of(log.invalid(invalid)), record);
  }

  /** Executions admitted and not finished (queued or in flight), and diverted ones not parked yet. */
  public int admitted() {
    synchronized (lock) {
      return admitted + diverting;
    }
  }

  public int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  public IsolationCounts isolationCounts() {
    return new IsolationCounts(parked.get(), refused.get(), breakersOpened.get());
  }

  /**
   * One thread, started when there is something to park and gone after 5 s idle, so diversions
   * run in order and never on the threads that complete deliveries. When ten dead webhooks' breakers
   * opened together in {@code ./bench delivery}, parking their 2,000 queued executions on those
   * threads held healthy deliveries back: p99 at 1,000/s rose from 5-7 ms to 60-105 ms (issue 7).
   */
  public static Executor parkingThread() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "dispatcher-parking-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts no more requests; queued executions stay unfinished (their records are not committed). */
  public void stop() {
    synchronized (lock) {
      stopped = true;
    }
  }

  /** Waits until no request is in flight and nothing is being parked; false if {@code timeout} passed first. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
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

  private void submit(Execution e, PendingRecord record, boolean parkable) {
    record.retain();
    Task task = new Task(e, record, parkable, false);
    List<Task> start = new ArrayList<>();
    List<Diverted> diverted = new ArrayList<>(0);
    synchronized (lock) {
      Lane lane = lanes.computeIfAbsent(e.webhookId(), this::newLane);
      if (lane.breaker.peek(clock.millis()) == CircuitBreaker.Permit.REFUSE) {
        diverted.add(new Diverted(task, FailureReason.CIRCUIT_OPEN.name()));
      } else if (parkable && lane.queue.size() >= isolation.maxQueuedPerWebhook() && slowerThanParking(lane)) {
        diverted.add(new Diverted(task, "QUEUE_FULL"));
      } else {
        lane.queue.addLast(task);
        admitted++;
        schedule(lane, start, diverted);
      }
    }
    divertLater(diverted);
    startAll(start);
  }

  /** Under the lock: whether working through the lane's queue would take longer than parking. */
  private boolean slowerThanParking(Lane lane) {
    double drainMillis = lane.averageCallMillis * lane.queue.size() / limits.maxInFlightPerWebhook();
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
  private void schedule(Lane lane, List<Task> out, List<Diverted> diverted) {
    long now = clock.millis();
    if (!lane.queue.isEmpty() && lane.breaker.peek(now) == CircuitBreaker.Permit.REFUSE) {
      for (Task t : lane.queue) {
        diverted.add(new Diverted(t, FailureReason.CIRCUIT_OPEN.name()));
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
      Task task = next.queue.pollFirst();
      if (task == null) {
        // Its queue was diverted after it became ready.
        forgetIfIdle(next);
        continue;
      }
      if (task.record().abandoned()) {
        // Its partition went to another consumer, which processes the record again.
        admitted--;
      } else {
        CircuitBreaker.Permit permit = next.breaker.acquire(now);
        if (permit == CircuitBreaker.Permit.CALL || permit == CircuitBreaker.Permit.PROBE) {
          next.inFlight++;
          inFlight++;
          out.add(permit == CircuitBreaker.Permit.PROBE ? task.asProbe() : task);
        } else {
          next.queue.addFirst(task); // waits for the probe's answer
          continue;
        }
      }
      markReady(next, now);
      forgetIfIdle(next);
    }
  }

  private void markReady(Lane lane, long now) {
    if (!lane.ready && !lane.queue.isEmpty() && lane.inFlight < limits.maxInFlightPerWebhook()) {
      CircuitBreaker.Permit permit = lane.breaker.peek(now);
      if (permit == CircuitBreaker.Permit.CALL || permit == CircuitBreaker.Permit.PROBE) {
        ready.addLast(lane);
        lane.ready = true;
      }
    }
  }

  private void forgetIfIdle(Lane lane) {
    if (lane.inFlight == 0 && lane.queue.isEmpty() && lane.breaker.pristine()) {
      lanes.remove(lane.webhookId);
    }
  }

  /**
   * A request of {@code task} ended; {@code signal}: what it said about the endpoint; {@code
   * callMillis}: how long the call took, -1 when the endpoint was not called.
   */
  private void slotFreed(Task task, CircuitBreaker.Signal signal, long callMillis) {
    String webhookId = task.execution().webhookId();
    List<Task> start = new ArrayList<>();
    List<Diverted> diverted = new ArrayList<>(0);
    synchronized (lock) {
      Lane lane = lanes.get(webhookId);
      lane.inFlight--;
      inFlight--;
      admitted--;
      if (callMillis >= 0) {
        lane.averageCallMillis = lane.averageCallMillis == 0 ? callMillis : 0.8 * lane.averageCallMillis + 0.2 * callMillis;
      }
      if (lane.breaker.record(signal, task.probe(), clock.millis())) {
        breakersOpened.incrementAndGet();
        LOG.warn("Webhook {} keeps timing out or failing: circuit open for {}, its executions are parked", webhookId,
            isolation.breakerOpenDuration());
      }
      schedule(lane, start, diverted);
      forgetIfIdle(lane);
      if (inFlight == 0) {
        lock.notifyAll();
      }
    }
    divertLater(diverted);
    startAll(start);
  }

  /** Hands the diverted executions to {@link #diversions}; counted until parked, for {@link #awaitIdle}. */
  private void divertLater(List<Diverted> diverted) {
    if (diverted.isEmpty()) {
      return;
    }
    int count = diverted.size();
    synchronized (lock) {
      diverting += count;
    }
    Runnable work = () -> {
      try {
        divertAll(diverted);
      } finally {
        synchronized (lock) {
          diverting -= count;
          lock.notifyAll();
        }
      }
    };
    try {
      diversions.execute(work);
    } catch (RejectedExecutionException e) {
      work.run();
    }
  }

  /** Parks each diverted execution, or tries it without a call when it may not be parked again. */
  private void divertAll(List<Diverted> diverted) {
    for (Diverted d : diverted) {
      Task task = d.task();
      if (task.record().abandoned()) {
        continue; // its partition went to another consumer, which processes the record again
      }
      try {
        if (task.parkable()) {
          parked.incrementAndGet();
          whenWritten(List.of(log.park(parkedRequest(task.execution(), clock.millis()), d.reason())), task.record());
        } else {
          refused.incrementAndGet();
          refuse(task);
        }
      } catch (RuntimeException ex) {
        fatal.report(ex);
      }
    }
  }

  /** The attempt of an execution whose breaker is open and that may not be parked again: not called. */
  private void refuse(Task task) {
    long now = clock.millis();
    Optional<Webhook> webhook = liveWebhook(task, now);
    if (webhook.isPresent()) {
      conclude(task, webhook.get(), now, 0, DeliveryOutcome.Failed.of(FailureReason.CIRCUIT_OPEN,
          "the webhook's circuit breaker is open after repeated timeouts or failures; not called"));
    }
  }

  /**
   * The execution as a retry request for the same attempt, due one breaker open duration from now.
   * A first attempt has no attempt times yet; they are set to now and ignored when it comes back.
   */
  private RetryRequest parkedRequest(Execution e, long now) {
    RetryRequest previous = e.previous();
    return RetryRequest.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setAttempt(e.attempt())
        .setDueAt(now + isolation.breakerOpenDuration().toMillis())
        .setTrigger(e.trigger())
        .setFirstAttemptAt(previous == null ? now : previous.getFirstAttemptAt())
        .setLastAttemptAt(previous == null ? now : previous.getLastAttemptAt())
        .setLastHttpStatus(previous == null ? null : previous.getLastHttpStatus())
        .setLastErrorCode(previous == null ? null : previous.getLastErrorCode())
        .setLastErrorMessage(previous == null ? null : previous.getLastErrorMessage())
        .setEvent(e.event())
        .build();
  }


  /**
   * Starts tasks on this thread without growing the stack: a task that finishes synchronously (a
   * deleted webhook, a request that fails at once) frees a slot whose next task joins the loop.
   */
  private void startAll(List<Task> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    ArrayDeque<Task> work = trampoline.get();
    if (work != null) {
      work.addAll(tasks);
      return;
    }
    work = new ArrayDeque<>(tasks);
    trampoline.set(work);
    try {
      Task t;
      while ((t = work.pollFirst()) != null) {
        try {
          start(t);
        } catch (RuntimeException ex) {
          fatal.report(ex);
        }
      }
    } finally {
      trampoline.remove();
    }
  }

  /**
   * The execution's webhook if it exists and is enabled; else the execution ends here, visibly, as
   * a failed execution (not called), and empty.
   */
  private Optional<Webhook> liveWebhook(Task task, long now) {
    Execution e = task.execution();
    Optional<Webhook> found = subscriptions.find(e.webhookId());
    if (found.isPresent() && found.get().getEnabled()) {
      return found;
    }
    FailureReason reason = found.isEmpty() ? FailureReason.WEBHOOK_DELETED : FailureReason.WEBHOOK_DISABLED;
    String url = found.map(Webhook::getUrl).orElse("");
    String message = "webhook " + e.webhookId() + (found.isEmpty() ? " was deleted" : " is disabled") + "; not called";
    FailedExecution failed = failedExecution(e, url, Math.max(0, e.attempt() - 2), reason, message,
        e.previous() == null ? null : e.previous().getLastHttpStatus(), now);
    whenWritten(List.of(log.deadLetter(failed)), task.record());
    return Optional.empty();
  }

  private void start(Task task) {
    Execution e = task.execution();
    long now = clock.millis();
    Optional<Webhook> found = liveWebhook(task, now);
    if (found.isEmpty()) {
      slotFreed(task, CircuitBreaker.Signal.NONE, -1);
      return;
    }
    Webhook webhook = found.get();
    Map<String, String> headers;
    try {
      headers = signedHeaders(e, webhook, now);
    } catch (SecretCipher.SecretDecryptionException unreadable) {
      conclude(task, webhook, now, 0, DeliveryOutcome.Failed.of(FailureReason.SECRET_UNREADABLE, unreadable.getMessage()));
      slotFreed(task, CircuitBreaker.Signal.NONE, -1);
      return;
    } catch (IllegalArgumentException invalidSecret) {
      conclude(task, webhook, now, 0, DeliveryOutcome.Failed.of(FailureReason.SECRET_INVALID, invalidSecret.getMessage()));
      slotFreed(task, CircuitBreaker.Signal.NONE, -1);
      return;
    }
    if (headers == null) {
      conclude(task, webhook, now, 0,
          DeliveryOutcome.Failed.of(FailureReason.SECRET_EXPIRED, "every signing secret of the webhook has expired; not sent"));
      slotFreed(task, CircuitBreaker.Signal.NONE, -1);
      return;
    }
    long started = System.nanoTime();
    CompletableFuture<DeliveryOutcome> sent;
    try {
      sent = endpoint.post(webhook.getUrl(), headers, e.body());
    } catch (RuntimeException ex) {
      sent = CompletableFuture.completedFuture(OutcomeClassifier.fromError(ex));
    }
    sent.whenComplete((answer, error) -> {
      long durationMs = (System.nanoTime() - started) / 1_000_000;
      DeliveryOutcome outcome = error == null ? answer : OutcomeClassifier.fromError(error);
      try {
        conclude(task, webhook, now, durationMs, outcome);
      } catch (RuntimeException ex) {
        fatal.report(ex);
      } finally {
        slotFreed(task, CircuitBreaker.signalOf(outcome), Math.max(0, clock.millis() - now));
      }
    });
  }

  /** Standard Webhooks headers, or null when no secret may sign any more. */
  private Map<String, String> signedHeaders(Execution e, Webhook webhook, long now) {
    List<String> secrets = signingSecrets.signingAt(webhook, now);
    if (secrets.isEmpty()) {
      return null;
    }
    long timestamp = now / 1000;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", e.id());
    headers.put("webhook-timestamp", Long.toString(timestamp));
    headers.put("webhook-signature", WebhookSigner.signature(e.id(), timestamp, e.body(), secrets));
    return headers;
  }

  /** Writes the attempt and what follows from it; releases the record once all are acknowledged. */
  private void conclude(Task task, Webhook webhook, long createdAt, long durationMs, DeliveryOutcome outcome) {
    Execution e = task.execution();
    long finishedAt = clock.millis();
    List<CompletableFuture<Void>> writes = new ArrayList<>(2);
    writes.add(log.attempt(attempt(e, webhook, createdAt, finishedAt, durationMs, outcome)));
    if (outcome instanceof DeliveryOutcome.Failed failed) {
      RetryPolicy.Decision decision = policy.afterFailure(e.attempt(), e.trigger(), failed);
      if (decision instanceof RetryPolicy.RetryLater later) {
        writes.add(log.retry(later.delay(), retryRequest(e, later, createdAt, finishedAt, failed)));
      } else if (decision instanceof RetryPolicy.GiveUp giveUp) {
        writes.add(log.deadLetter(failedExecution(e, webhook.getUrl(), giveUp.retries(), failed.reason(),
            failed.message(), failed.httpStatus(), createdAt)));
      }
    } else if (e.trigger() == Trigger.MANUAL) {
      // A person retried a failed execution and it got through: it leaves the failed view.
      FailedExecution resolved = failedExecution(e, webhook.getUrl(), e.attempt() - 1, null, null, outcome.httpStatus(), createdAt);
      resolved.setState(FailedExecutionState.RESOLVED);
      writes.add(log.deadLetter(resolved));
    }
    whenWritten(writes, task.record());
  }

  private void whenWritten(List<CompletableFuture<Void>> writes, PendingRecord record) {
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
      if (error != null) {
        fatal.report(error);
      } else {
        record.release();
      }
    });
  }

  private static Attempt attempt(Execution e, Webhook w, long createdAt, long finishedAt, long durationMs, DeliveryOutcome o) {
    Attempt.Builder a = Attempt.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setPortal(e.event().getPortal())
        .setEventId(e.event().getId())
        .setEvent(e.event().getEvent())
        .setUrl(w.getUrl())
        .setAttempt(e.attempt())
        .setTrigger(e.trigger())
        .setStatus(o.attemptStatus())
        .setHttpStatus(o.httpStatus())
        .setDurationMs(durationMs)
        .setCreatedAt(createdAt)
        .setResponseExcerpt(o.responseExcerpt());
    if (o instanceof DeliveryOutcome.Failed f) {
      a.setErrorCode(f.reason().name()).setErrorMessage(f.message());
    } else {
      a.setDeliveredAt(finishedAt);
    }
    return a.build();
  }

  private static RetryRequest retryRequest(Execution e, RetryPolicy.RetryLater later, long createdAt, long finishedAt,
      DeliveryOutcome.Failed f) {
    return RetryRequest.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setAttempt(later.nextAttempt())
        .setDueAt(finishedAt + later.delay().toMillis())
        .setTrigger(Trigger.SCHEDULED)
        .setFirstAttemptAt(e.firstAttemptAt() == null ? createdAt : e.firstAttemptAt())
        .setLastAttemptAt(createdAt)
        .setLastHttpStatus(f.httpStatus())
        .setLastErrorCode(f.reason().name())
        .setLastErrorMessage(f.message())
        .setEvent(e.event())
        .build();
  }

  private static FailedExecution failedExecution(Execution e, String url, int retries, FailureReason reason,
      String message, Integer httpStatus, long lastAt) {
    return FailedExecution.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setPortal(e.event().getPortal())
        .setUrl(url)
        .setState(FailedExecutionState.FAILED)
        .setNumberOfRetries(retries)
        .setLastHttpStatus(httpStatus)
        .setErrorCode(reason == null ? null : reason.name())
        .setErrorMessage(message)
        .setFirstExecutionTime(e.firstAttemptAt() == null ? lastAt : e.firstAttemptAt())
        .setLastExecutionTime(lastAt)
        .setEvent(e.event())
        .build();
  }
}
