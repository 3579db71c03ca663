package io.hookline.dispatcher.application;

import io.hookline.avro.Attempt;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.WebhookSigner;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.SecretCipher;
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
 * <p>An input record is released (and so may be committed) only once every outcome record of every
 * execution it caused is acknowledged by the {@link OutcomeLog}. If an outcome cannot be written,
 * the record is never released and {@link FatalFailure} is reported.
 *
 * <p>Signing secrets are stored encrypted ({@link SecretCipher}); they are decrypted just before
 * signing and never kept. A secret that does not decrypt fails the attempt as
 * {@code SECRET_UNREADABLE} without calling the receiver.
 *
 * <p>Thread-safe: records are submitted by the poll thread, requests complete on HTTP threads.
 */
public final class DeliveryService {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

  private final Subscriptions subscriptions;
  private final WebhookEndpoint endpoint;
  private final OutcomeLog log;
  private final RetryPolicy policy;
  private final DeliveryLimits limits;
  private final Clock clock;
  private final FatalFailure fatal;
  private final SecretCipher cipher;

  private final Object lock = new Object();
  private final Map<String, Lane> lanes = new HashMap<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private final ThreadLocal<ArrayDeque<Task>> trampoline = new ThreadLocal<>();
  private int inFlight;
  private int admitted;
  private boolean stopped;

  /** The executions of one webhook: queued in order, and how many of its requests are in flight. */
  private static final class Lane {
    final String webhookId;
    final ArrayDeque<Task> queue = new ArrayDeque<>();
    int inFlight;
    boolean ready;

    Lane(String webhookId) {
      this.webhookId = webhookId;
    }
  }

  private record Task(Execution execution, PendingRecord record) {}

  public DeliveryService(Subscriptions subscriptions, WebhookEndpoint endpoint, OutcomeLog log, RetryPolicy policy,
      DeliveryLimits limits, Clock clock, FatalFailure fatal, SecretCipher cipher) {
    this.subscriptions = subscriptions;
    this.endpoint = endpoint;
    this.log = log;
    this.policy = policy;
    this.limits = limits;
    this.clock = clock;
    this.fatal = fatal;
    this.cipher = cipher;
  }

  /** Fans {@code event} out to its subscribers as first attempts. No subscriber: nothing to do. */
  public void dispatch(Event event, PendingRecord record) {
    List<Webhook> subscribers = subscriptions.subscribersOf(event.getPortal(), event.getEvent());
    if (subscribers.isEmpty()) {
      return;
    }
    byte[] body = EventCodec.toJson(event);
    for (Webhook w : subscribers) {
      submit(Execution.first(event, body, w.getId()), record);
    }
  }

  /** Makes the attempt a retry request asks for (scheduled retry come due, or a manual retry). */
  public void redeliver(RetryRequest request, PendingRecord record) {
    submit(Execution.redelivery(request), record);
  }

  /** Keeps an undecodable input record, byte for byte, with the reason. */
  public void reject(InvalidRecord invalid, PendingRecord record) {
    LOG.warn("Invalid record {}-{}@{}: {} {}", invalid.sourceTopic(), invalid.sourcePartition(), invalid.sourceOffset(),
        invalid.reason(), invalid.message());
    record.retain();
    whenWritten(List.of(log.invalid(invalid)), record);
  }

  /** Executions admitted and not finished (queued or in flight). */
  public int admitted() {
    synchronized (lock) {
      return admitted;
    }
  }

  public int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** Starts no more requests; queued executions stay unfinished (their records are not committed). */
  public void stop() {
    synchronized (lock) {
      stopped = true;
    }
  }

  /** Waits until no request is in flight; false if {@code timeout} passed first. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  private void submit(Execution e, PendingRecord record) {
    record.retain();
    List<Task> start = new ArrayList<>();
    synchronized (lock) {
      Lane lane = lanes.computeIfAbsent(e.webhookId(), Lane::new);
      lane.queue.addLast(new Task(e, record));
      admitted++;
      schedule(lane, start);
    }
    startAll(start);
  }

  /** Under the lock: hands free slots to ready lanes, round-robin, one request per lane per turn. */
  private void schedule(Lane lane, List<Task> out) {
    markReady(lane);
    if (stopped) {
      return;
    }
    while (inFlight < limits.maxInFlight() && !ready.isEmpty()) {
      Lane next = ready.pollFirst();
      next.ready = false;
      Task task = next.queue.pollFirst();
      if (task.record().abandoned()) {
        // Its partition went to another consumer, which processes the record again.
        admitted--;
      } else {
        next.inFlight++;
        inFlight++;
        out.add(task);
      }
      markReady(next);
      forgetIfIdle(next);
    }
  }

  private void markReady(Lane lane) {
    if (!lane.ready && !lane.queue.isEmpty() && lane.inFlight < limits.maxInFlightPerWebhook()) {
      ready.addLast(lane);
      lane.ready = true;
    }
  }

  private void forgetIfIdle(Lane lane) {
    if (lane.inFlight == 0 && lane.queue.isEmpty()) {
      lanes.remove(lane.webhookId);
    }
  }

  private void slotFreed(String webhookId) {
    List<Task> start = new ArrayList<>();
    synchronized (lock) {
      Lane lane = lanes.get(webhookId);
      lane.inFlight--;
      inFlight--;
      admitted--;
      schedule(lane, start);
      forgetIfIdle(lane);
      if (inFlight == 0) {
        lock.notifyAll();
      }
    }
    startAll(start);
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

  private void start(Task task) {
    Execution e = task.execution();
    long now = clock.millis();
    Optional<Webhook> found = subscriptions.find(e.webhookId());
    if (found.isEmpty() || !found.get().getEnabled()) {
      // Not called: the subscription is gone or switched off. The execution ends here, visibly.
      FailureReason reason = found.isEmpty() ? FailureReason.WEBHOOK_DELETED : FailureReason.WEBHOOK_DISABLED;
      String url = found.map(Webhook::getUrl).orElse("");
      String message = "webhook " + e.webhookId() + (found.isEmpty() ? " was deleted" : " is disabled") + "; not called";
      FailedExecution failed = failedExecution(e, url, Math.max(0, e.attempt() - 2), reason, message,
          e.previous() == null ? null : e.previous().getLastHttpStatus(), now);
      whenWritten(List.of(log.deadLetter(failed)), task.record());
      slotFreed(e.webhookId());
      return;
    }
    Webhook webhook = found.get();
    Map<String, String> headers;
    try {
      headers = signedHeaders(e, webhook, now);
    } catch (SecretCipher.SecretDecryptionException unreadable) {
      conclude(task, webhook, now, 0, DeliveryOutcome.Failed.of(FailureReason.SECRET_UNREADABLE, unreadable.getMessage()));
      slotFreed(e.webhookId());
      return;
    } catch (IllegalArgumentException invalidSecret) {
      conclude(task, webhook, now, 0, DeliveryOutcome.Failed.of(FailureReason.SECRET_INVALID, invalidSecret.getMessage()));
      slotFreed(e.webhookId());
      return;
    }
    if (headers == null) {
      conclude(task, webhook, now, 0,
          DeliveryOutcome.Failed.of(FailureReason.SECRET_EXPIRED, "every signing secret of the webhook has expired; not sent"));
      slotFreed(e.webhookId());
      return;
    }
    long started = System.nanoTime();
    CompletableFuture<DeliveryOutcome> sent;
    try {
      sent = endpoint.post(webhook.getUrl(), headers, e.body());
    } catch (RuntimeException ex) {
      sent = CompletableFuture.completedFuture(OutcomeClassifier.fromError(ex));
    }
    sent.whenComplete((outcome, error) -> {
      long durationMs = (System.nanoTime() - started) / 1_000_000;
      try {
        conclude(task, webhook, now, durationMs, error == null ? outcome : OutcomeClassifier.fromError(error));
      } catch (RuntimeException ex) {
        fatal.report(ex);
      } finally {
        slotFreed(e.webhookId());
      }
    });
  }

  /** Standard Webhooks headers, or null when no secret may sign any more. */
  private Map<String, String> signedHeaders(Execution e, Webhook webhook, long now) {
    List<String> secrets = WebhookSigner.signingSecrets(webhook.getSecrets(), now).stream()
        .map(stored -> cipher.decrypt(stored, webhook.getId()))
        .toList();
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
