package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.CircuitBreaker;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Event;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.Throttling;
import io.hookline.dispatcher.domain.Trigger;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.runtime.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The delivery engine: turns input records into executions, sends them without ever blocking the
 * caller, and writes every outcome. It orchestrates parts that each do one job: {@link
 * DeliveryLanes} (fair per-webhook lanes over shared in-flight slots, circuit breakers), {@link
 * ExecutionParking} (what a breaker or a slow lane diverts), {@link RequestSigning}, and {@link
 * OutcomeWriter} (the attempt and what the {@link RetryPolicy} makes of it).
 *
 * <p>An execution that comes back parked, or a manual retry, is never parked again for the same
 * attempt: if its breaker is still open it is tried without a call, an attempt failed as {@code
 * CIRCUIT_OPEN} that follows the retry schedule. So an endpoint that stays dead still ends every
 * execution in the dead letter with the usual number of retries.
 *
 * <p>A receiver that asks for a pause ({@link Throttling}: a 429, or a 502/503/504 with
 * {@code Retry-After}) gets it: the attempt is recorded as throttled, the execution is parked for the
 * same attempt until the pause ends (no retry used up), and so is everything its webhook's lane
 * holds or receives until then (see {@link DeliveryLanes}).
 *
 * <p>A webhook with a {@code rate_limit} is delivered only by the instance that owns its partition
 * ({@link WebhookOwnership}), whose lane starts at most that many requests per second; first
 * attempts dispatched elsewhere are handed over through the parked topic.
 *
 * <p>An input record is released (and so may be committed) only once every outcome record of every
 * execution it caused is acknowledged by the {@link OutcomeLog}; if one cannot be written, the
 * record is never released and {@link FatalFailure} is reported.
 *
 * <p>Thread-safe: records are submitted by the poll thread, requests complete on HTTP threads.
 */
public final class DeliveryService {

  /** Why a first attempt was parked at once: handed over to the instance that owns its rate-limited webhook. */
  static final String RATE_LIMITED = "RATE_LIMITED";

  private final Subscriptions subscriptions;
  private final WebhookEndpoint endpoint;
  private final EventBodies bodies;
  private final Clock clock;
  private final FatalFailure fatal;
  private final DeliveryLanes lanes;
  private final ExecutionParking parking;
  private final RequestSigning signing;
  private final OutcomeWriter outcomes;
  private final Trampoline<DeliveryTask> starts;
  private final RedeliveryTimer early;
  private final Throttling throttling;
  private final WebhookOwnership ownership;
  /** Wakes lanes whose rate limit used up its second; its one thread exists only while there is work. */
  private final ScheduledThreadPoolExecutor rateTimer;
  private final OutcomeLog log;
  private final OrderedDelivery ordered;

  /** Parked executions, executions tried without a call because their breaker was open, breakers opened. */
  public record IsolationCounts(long parked, long refused, long breakersOpened) {}

  /**
   * @param diversions where diverted executions are parked (or tried without a call), off the
   *     threads that complete deliveries ({@link ExecutionParking#parkingThread()})
   */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, EventBodies bodies, OutcomeLog log,
      RetryPolicy policy, DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal,
      SecretCipher cipher, Executor diversions) {
    this(subscriptions, endpoint, bodies, log, policy, limits, isolation, clock, fatal, cipher, diversions,
        EndpointMonitor.off(), DeliveryMetrics.NONE);
  }

  /** @param monitor raises operational events and disables endpoints ({@link EndpointMonitor}) */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, EventBodies bodies, OutcomeLog log,
      RetryPolicy policy, DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal,
      SecretCipher cipher, Executor diversions, EndpointMonitor monitor) {
    this(subscriptions, endpoint, bodies, log, policy, limits, isolation, clock, fatal, cipher, diversions, monitor,
        DeliveryMetrics.NONE);
  }

  /** Counting what it does in {@code metrics}. */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, EventBodies bodies, OutcomeLog log,
      RetryPolicy policy, DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal,
      SecretCipher cipher, Executor diversions, DeliveryMetrics metrics) {
    this(subscriptions, endpoint, bodies, log, policy, limits, isolation, clock, fatal, cipher, diversions,
        EndpointMonitor.off(), metrics);
  }

  /**
   * @param monitor raises operational events and disables endpoints ({@link EndpointMonitor})
   * @param metrics counts what it does
   */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, EventBodies bodies, OutcomeLog log,
      RetryPolicy policy, DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal,
      SecretCipher cipher, Executor diversions, EndpointMonitor monitor, DeliveryMetrics metrics) {
    this(subscriptions, endpoint, bodies, log, policy, limits, isolation, clock, fatal, cipher, diversions, monitor,
        metrics, new Throttling(Throttling.DEFAULT_MAX_PAUSE), WebhookOwnership.ALL);
  }

  /**
   * @param monitor raises operational events and disables endpoints ({@link EndpointMonitor})
   * @param metrics counts what it does
   * @param throttling which answers pause a webhook, and for how long
   * @param ownership which rate-limited webhooks this instance delivers; the first attempts of
   *     the others are handed over to their owner (parked, due at once)
   */
  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, EventBodies bodies, OutcomeLog log,
      RetryPolicy policy, DeliveryLimits limits, IsolationLimits isolation, Clock clock, FatalFailure fatal,
      SecretCipher cipher, Executor diversions, EndpointMonitor monitor, DeliveryMetrics metrics, Throttling throttling,
      WebhookOwnership ownership) {
    this.throttling = throttling;
    this.ownership = ownership;
    this.subscriptions = subscriptions;
    this.endpoint = endpoint;
    this.bodies = bodies;
    this.clock = clock;
    this.fatal = fatal;
    this.rateTimer = RateTimer.create();
    this.lanes = new DeliveryLanes(limits, isolation, clock, monitor,
        webhookId -> subscriptions.find(webhookId).map(Webhook::rateLimit).orElse(null),
        (webhookId, at) -> rateTimer.schedule(() -> wake(webhookId), Math.max(0, at - clock.millis()),
            TimeUnit.MILLISECONDS), ownership::owns);
    this.parking = new ExecutionParking(diversions, lanes, log, isolation, clock, fatal, this::refuse, metrics);
    this.signing = new RequestSigning(cipher);
    this.outcomes = new OutcomeWriter(log, policy, clock, fatal, monitor, metrics);
    this.starts = new Trampoline<>(this::start, fatal);
    this.early = new RedeliveryTimer(clock, fatal);
    this.log = log;
    this.ordered = new OrderedDelivery((e, record, parkable) -> submit(e, bodies.json(e.event()), record, parkable),
        fatal, limits.maxQueued());
  }

  /** The executions of webhooks with ordering, read from the ordered log by its consumer. */
  public OrderedDelivery ordered() {
    return ordered;
  }

  /** Fans {@code event} out to its subscribers as first attempts. No subscriber: nothing to do. */
  public void dispatch(Event event, PendingRecord record) {
    dispatch(event, null, record);
  }

  /**
   * Like {@link #dispatch(Event, PendingRecord)}, {@code recordKey} being the event's record key
   * (UTF-8): a webhook with ordering gets the execution appended to its ordered log under the
   * event's ordering key, the record done once that is acknowledged ({@link OrderedDelivery}).
   */
  public void dispatch(Event event, byte[] recordKey, PendingRecord record) {
    List<Webhook> subscribers = subscriptions.subscribersOf(event.portal(), event.name());
    if (subscribers.isEmpty()) {
      return;
    }
    byte[] body = bodies.json(event);
    for (Webhook w : subscribers) {
      if (w.orderedByKey()) {
        String key = event.orderingKey(recordKey == null ? null : new String(recordKey, StandardCharsets.UTF_8));
        record.retain();
        record.releaseWhenWritten(List.of(log.ordered(Execution.first(event, w.id()), key, clock.millis())), fatal);
      } else if (w.rateLimit() != null && !ownership.owns(w.id())) {
        handOver(Execution.first(event, w.id()), body, record);
      } else {
        submit(Execution.first(event, w.id()), body, record, true);
      }
    }
  }

  /**
   * A first attempt of a rate-limited webhook this instance does not own: parked due at once, so it
   * comes back through the webhook's partition of the redeliveries topic to the instance that owns
   * it, whose limiter counts every delivery of the webhook.
   */
  private void handOver(Execution e, byte[] body, PendingRecord record) {
    record.retain();
    parking.divertLater(List.of(new Diversion(new DeliveryTask(e, body, record, true, false), RATE_LIMITED,
        clock.millis())));
  }

  /** The rate limit of {@code webhookId} allows a start again. */
  private void wake(String webhookId) {
    List<DeliveryTask> start = new ArrayList<>();
    List<Diversion> diverted = new ArrayList<>(0);
    lanes.wake(webhookId, start, diverted);
    parking.divertLater(diverted);
    starts.runAll(start);
  }

  /**
   * Makes the attempt a retry request asks for (a scheduled retry come due, a manual retry, a
   * parked execution coming back); {@code wasParked}: it is not parked again for this attempt.
   */
  public void redeliver(Execution execution, boolean wasParked, PendingRecord record) {
    submit(execution, bodies.json(execution.event()), record, !wasParked && execution.trigger() != Trigger.MANUAL);
  }

  /**
   * {@link #redeliver} at {@code dueAt} (epoch ms): at once if it is due, else held until then
   * ({@link RedeliveryTimer}); the record is not complete while it is held. Its body is made now, so
   * an unusable event fails here, on the caller's thread. {@code parkedAs} says why it was parked
   * (null when it was not): one parked for a pause is counted back in by its lane ({@link PauseDrain}).
   */
  public void redeliverWhenDue(Execution execution, long dueAt, String parkedAs, PendingRecord record) {
    byte[] body = bodies.json(execution.event());
    boolean parkable = parkedAs == null && execution.trigger() != Trigger.MANUAL;
    boolean returned = DeliveryLanes.THROTTLED.equals(parkedAs);
    if (execution.orderedOffset() != null) {
      // Only the waiting head of its key is attempted; a stale redelivery is dropped (its record done).
      PendingRecord attempt = ordered.redelivered(execution, record);
      if (attempt != null) {
        early.startWhenDue(dueAt, record, () -> {
          submit(execution, body, attempt, parkable, returned);
          attempt.release();
        });
      }
      return;
    }
    early.startWhenDue(dueAt, record, () -> submit(execution, body, record, parkable, returned));
  }

  /** Redeliveries that arrived early and wait for their due time. */
  public int heldUntilDue() {
    return early.held();
  }

  /** Keeps an undecodable input record, byte for byte, with the reason. */
  public void reject(InvalidRecord invalid, PendingRecord record) {
    outcomes.invalid(invalid, record);
  }

  /** Executions admitted and not finished (queued or in flight), and diverted ones not parked yet. */
  public int admitted() {
    return lanes.admitted();
  }

  public int inFlight() {
    return lanes.inFlight();
  }

  /** Webhooks whose circuit breaker is open or half-open now. */
  public int breakersOpen() {
    return lanes.breakersOpen();
  }

  public IsolationCounts isolationCounts() {
    return new IsolationCounts(parking.parked(), parking.refused(), lanes.breakersOpened());
  }

  /** Starts no more requests; queued executions stay unfinished (their records are not committed). */
  public void stop() {
    early.stop();
    lanes.stop();
    rateTimer.shutdownNow();
  }

  /** Waits until no request is in flight and nothing is being parked; false if {@code timeout} passed first. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return lanes.awaitIdle(timeout);
  }

  private void submit(Execution e, byte[] body, PendingRecord record, boolean parkable) {
    submit(e, body, record, parkable, false);
  }

  /** {@code returned}: an execution parked for a pause that comes back. */
  private void submit(Execution e, byte[] body, PendingRecord record, boolean parkable, boolean returned) {
    record.retain();
    DeliveryTask task = new DeliveryTask(e, body, record, parkable, false);
    List<DeliveryTask> start = new ArrayList<>();
    List<Diversion> diverted = new ArrayList<>(0);
    lanes.admit(task, returned, start, diverted);
    parking.divertLater(diverted);
    starts.runAll(start);
  }

  /** The webhook's receiver asked for a pause until {@code until}: what waits in its lane is parked until then. */
  private void pause(String webhookId, long until) {
    List<Diversion> diverted = new ArrayList<>(0);
    lanes.pause(webhookId, until, diverted);
    parking.divertLater(diverted);
  }

  private void slotFreed(DeliveryTask task, CircuitBreaker.Signal signal, long callMillis) {
    List<DeliveryTask> start = new ArrayList<>();
    List<Diversion> diverted = new ArrayList<>(0);
    lanes.finished(task, signal, callMillis, start, diverted);
    parking.divertLater(diverted);
    starts.runAll(start);
  }

  private void start(DeliveryTask task) {
    long now = task.startAt() > 0 ? task.startAt() : clock.millis();
    Optional<Webhook> found = liveWebhook(task, now);
    if (found.isEmpty()) {
      slotFreed(task, CircuitBreaker.Signal.NONE, -1);
      return;
    }
    Webhook webhook = found.get();
    Map<String, String> headers;
    try {
      headers = signing.headers(task.execution(), task.body(), webhook, now);
    } catch (RequestSigning.NotSigned notSigned) {
      outcomes.attempted(task, webhook, now, -1, notSigned.failure(), null);
      slotFreed(task, CircuitBreaker.Signal.NONE, -1);
      return;
    }
    long started = System.nanoTime();
    CompletableFuture<DeliveryOutcome> sent;
    try {
      sent = endpoint.post(webhook.url(), withCustomHeaders(webhook, headers), task.body());
    } catch (RuntimeException ex) {
      sent = CompletableFuture.completedFuture(OutcomeClassifier.fromError(ex));
    }
    sent.whenComplete((answer, error) -> {
      long callNanos = System.nanoTime() - started;
      DeliveryOutcome outcome = error == null ? answer : OutcomeClassifier.fromError(error);
      OptionalLong pause = throttling.pauseUntil(outcome, clock.millis());
      try {
        outcomes.attempted(task, webhook, now, callNanos, outcome, sentHeaders(headers, outcome), pause);
      } catch (RuntimeException ex) {
        fatal.report(ex);
      } finally {
        if (pause.isPresent()) {
          pause(task.webhookId(), pause.getAsLong());
        }
        slotFreed(task, CircuitBreaker.signalOf(outcome), Math.max(0, clock.millis() - now));
      }
    });
  }

  /**
   * The execution's webhook if it exists and is enabled; else the execution ends here as a failed
   * execution (not called), and empty.
   */
  private Optional<Webhook> liveWebhook(DeliveryTask task, long now) {
    Optional<Webhook> found = subscriptions.find(task.webhookId());
    if (found.isPresent() && found.get().enabled()) {
      return found;
    }
    outcomes.webhookGone(task, found, now);
    return Optional.empty();
  }

  /** The attempt of a diverted execution that may not be parked again: not called, failed as circuit open. */
  private void refuse(DeliveryTask task) {
    long now = clock.millis();
    Optional<Webhook> webhook = liveWebhook(task, now);
    if (webhook.isPresent()) {
      outcomes.attempted(task, webhook.get(), now, -1, DeliveryOutcome.Failed.of(FailureReason.CIRCUIT_OPEN,
          "the webhook's circuit breaker is open after repeated timeouts or failures; not called"), null);
    }
  }

  /**
   * The request's headers: the webhook's custom headers, then the signature headers (custom headers
   * never carry a reserved name, so they never replace one). The attempt records the signature
   * headers only: custom headers are the webhook's configuration and may carry a receiver's
   * credentials, which must not be copied into every attempt record.
   */
  private static Map<String, String> withCustomHeaders(Webhook webhook, Map<String, String> signed) {
    if (webhook.headers().isEmpty()) {
      return signed;
    }
    Map<String, String> all = new java.util.LinkedHashMap<>(webhook.headers());
    all.putAll(signed);
    return all;
  }

  /**
   * The headers of the request as the receiver was sent them, or null when the endpoint refused
   * the target and made no request.
   */
  private static Map<String, String> sentHeaders(Map<String, String> headers, DeliveryOutcome outcome) {
    boolean notCalled = outcome instanceof DeliveryOutcome.Failed f && f.reason() == FailureReason.TARGET_REFUSED;
    return notCalled ? null : headers;
  }
}
