package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.dispatcher.adapter.in.kafka.InputRecords;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.adapter.out.kafka.OutcomeRecords;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.schemas.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The engine's scheduling and bookkeeping, with in-memory ports whose requests and acknowledgements
 * the test completes by hand (the HTTP and Kafka adapters are covered by the integration tests). The
 * in-memory log keeps each outcome as the Kafka adapter's record for it, so tests read what would
 * be written.
 */
class DeliveryServiceTest {

  record Call(String url, Map<String, String> headers, CompletableFuture<DeliveryOutcome> answer) {}

  static final class Endpoint implements WebhookEndpoint {
    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<DeliveryOutcome> post(String url, Map<String, String> headers, byte[] body) {
      Call c = new Call(url, headers, new CompletableFuture<>());
      calls.add(c);
      return c.answer();
    }

    List<String> urls() {
      return calls.stream().map(Call::url).toList();
    }
  }

  static final class Log implements OutcomeLog {
    final List<Object> written = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();
    final List<String> parkReasons = new CopyOnWriteArrayList<>();
    volatile boolean autoAck = true;

    private CompletableFuture<Void> write(Object o) {
      written.add(o);
      CompletableFuture<Void> f = autoAck ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
      acks.add(f);
      return f;
    }

    @Override
    public CompletableFuture<Void> attempt(Execution e, String url, long createdAt, long finishedAt, long durationMs,
        DeliveryOutcome outcome, Map<String, String> requestHeaders) {
      return write(OutcomeRecords.attempt(e, url, createdAt, finishedAt, durationMs, outcome, requestHeaders));
    }

    @Override
    public CompletableFuture<Void> throttledAttempt(Execution e, String url, long createdAt, long finishedAt,
        long durationMs, DeliveryOutcome outcome, Map<String, String> requestHeaders, long throttledUntil) {
      return write(OutcomeRecords.throttled(
          OutcomeRecords.attempt(e, url, createdAt, finishedAt, durationMs, outcome, requestHeaders), throttledUntil));
    }

    @Override
    public CompletableFuture<Void> retry(
        Execution e, int nextAttempt, Duration delay, long dueAt, long attemptedAt, DeliveryOutcome.Failed failure) {
      return write(OutcomeRecords.retry(e, nextAttempt, dueAt, attemptedAt, failure));
    }

    @Override
    public CompletableFuture<Void> failed(Execution e, String url, int retries, FailureReason reason, String message,
        Integer httpStatus, long lastAt) {
      return write(OutcomeRecords.failed(e, url, retries, reason, message, httpStatus, lastAt));
    }

    @Override
    public CompletableFuture<Void> resolved(Execution e, String url, int retries, Integer httpStatus, long lastAt) {
      return write(OutcomeRecords.resolved(e, url, retries, httpStatus, lastAt));
    }

    @Override
    public CompletableFuture<Void> park(Execution e, long dueAt, long now, String reason) {
      parkReasons.add(reason);
      return write(OutcomeRecords.parked(e, dueAt, now));
    }

    @Override
    public CompletableFuture<Void> invalid(InvalidRecord record) {
      return write(record);
    }

    @Override
    public void flush() {}

    <T> List<T> of(Class<T> type) {
      return written.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  static final class Directory implements Subscriptions {
    final Map<String, Webhook> webhooks = new ConcurrentHashMap<>();

    @Override
    public List<Webhook> subscribersOf(String portal, String event) {
      return webhooks.values().stream()
          .filter(w -> w.enabled() && w.portal().equals(portal) && w.events().contains(event)).toList();
    }

    @Override
    public Optional<Webhook> find(String webhookId) {
      return Optional.ofNullable(webhooks.get(webhookId));
    }

    void add(String id, String event) {
      webhooks.put(id, new Webhook(id, "zylker", "http://hooks.test/" + id, List.of(event), true,
          List.of(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 1L, null))));
    }

    void disable(String id) {
      Webhook w = webhooks.get(id);
      webhooks.put(id, new Webhook(w.id(), w.portal(), w.url(), w.events(), false, w.secrets()));
    }
  }

  final Endpoint endpoint = new Endpoint();
  final Log log = new Log();
  final Directory directory = new Directory();
  final FatalFailure fatal = new FatalFailure();
  int eventSeq;

  DeliveryService service(int maxInFlight, int perWebhook) {
    return new DeliveryService(directory, endpoint, new ContractEventBodies(), log,
        new RetryPolicy(RetrySchedule.parse("1s,1s,1s")),
        new DeliveryLimits(maxInFlight, perWebhook, 10_000, Duration.ofSeconds(5)), IsolationLimits.OFF, Clock.systemUTC(),
        fatal, io.hookline.runtime.SecretCipher.fromBase64Key(io.hookline.runtime.SecretCipher.generateBase64Key(), "test"),
        Runnable::run);
  }

  Event event(String name) {
    return Event.newBuilder().setId("e" + (++eventSeq)).setPortal("zylker").setEvent(name).setEventTime(1L)
        .setPayload("{}").build();
  }

  static final class Completion {
    final AtomicBoolean done = new AtomicBoolean();
    final PendingRecord record = new PendingRecord(() -> done.set(true), () -> false);
  }

  Completion dispatch(DeliveryService s, String eventName) {
    Completion c = new Completion();
    s.dispatch(InputRecords.event(event(eventName)), c.record);
    c.record.release();
    return c;
  }

  @Test
  void aSlowWebhookOnlyUsesItsOwnSlots() {
    directory.add("slow", "slow.event");
    directory.add("fast", "fast.event");
    DeliveryService s = service(4, 2);
    for (int i = 0; i < 5; i++) {
      dispatch(s, "slow.event");
    }
    dispatch(s, "fast.event");
    dispatch(s, "fast.event");

    assertThat(endpoint.urls()).containsExactly("http://hooks.test/slow", "http://hooks.test/slow",
        "http://hooks.test/fast", "http://hooks.test/fast");
    assertThat(s.inFlight()).isEqualTo(4);
    assertThat(s.admitted()).isEqualTo(7);
  }

  @Test
  void freedSlotsGoRoundRobinToWaitingWebhooks() {
    directory.add("a", "a.event");
    directory.add("b", "b.event");
    DeliveryService s = service(2, 2);
    dispatch(s, "a.event");
    dispatch(s, "a.event");
    dispatch(s, "a.event");
    dispatch(s, "b.event");
    assertThat(endpoint.urls()).containsExactly("http://hooks.test/a", "http://hooks.test/a");

    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(endpoint.urls()).hasSize(3).last().isEqualTo("http://hooks.test/b");

    endpoint.calls.get(1).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(endpoint.urls()).hasSize(4).last().isEqualTo("http://hooks.test/a");
  }

  @Test
  void aRecordCompletesOnlyWhenEveryOutcomeOfEveryExecutionIsAcknowledged() {
    directory.add("a", "x");
    directory.add("b", "x");
    log.autoAck = false;
    DeliveryService s = service(10, 2);
    Completion c = dispatch(s, "x");
    assertThat(endpoint.calls).hasSize(2);

    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));
    endpoint.calls.get(1).answer().complete(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null));
    assertThat(log.of(Attempt.class)).hasSize(2);
    assertThat(log.of(RetryRequest.class)).singleElement()
        .satisfies(r -> assertThat(r.getAttempt()).isEqualTo(2));

    log.acks.get(0).complete(null);
    log.acks.get(1).complete(null);
    assertThat(c.done).isFalse();
    log.acks.get(2).complete(null);
    assertThat(c.done).isTrue();
  }

  @Test
  void aRecordWithoutSubscribersCompletesAtOnce() {
    DeliveryService s = service(10, 2);
    Completion c = dispatch(s, "nobody.listens");
    assertThat(c.done).isTrue();
    assertThat(endpoint.calls).isEmpty();
  }

  @Test
  void aRetryForADeletedWebhookEndsAsAFailedExecutionWithoutCallingIt() {
    DeliveryService s = service(10, 2);
    Event e = event("x");
    RetryRequest r = RetryRequest.newBuilder().setExecutionId(ExecutionId.of(e.getId(), "gone")).setWebhookId("gone")
        .setAttempt(3).setDueAt(1L).setTrigger(Trigger.SCHEDULED).setFirstAttemptAt(100L).setLastAttemptAt(200L)
        .setLastHttpStatus(503).setLastErrorCode("HTTP_ERROR").setLastErrorMessage("HTTP 503").setEvent(e).build();
    Completion c = redeliver(s, r);

    assertThat(endpoint.calls).isEmpty();
    assertThat(log.of(Attempt.class)).isEmpty();
    assertThat(log.of(FailedExecution.class)).singleElement().satisfies(f -> {
      assertThat(f.getErrorCode()).isEqualTo("WEBHOOK_DELETED");
      assertThat(f.getNumberOfRetries()).isEqualTo(1);
      assertThat(f.getFirstExecutionTime()).isEqualTo(100L);
    });
    assertThat(c.done).isTrue();
  }

  /** The retry request the query API writes for "retry now" of a failed execution with {@code retries} retries. */
  RetryRequest manualResend(Event e, String webhookId, int retries) {
    return RetryRequest.newBuilder().setExecutionId(ExecutionId.of(e.getId(), webhookId)).setWebhookId(webhookId)
        .setAttempt(retries + 2).setDueAt(1L).setTrigger(Trigger.MANUAL).setFirstAttemptAt(100L).setLastAttemptAt(200L)
        .setLastHttpStatus(410).setLastErrorCode("HTTP_ERROR").setLastErrorMessage("HTTP 410").setEvent(e).build();
  }

  Completion redeliver(DeliveryService s, RetryRequest r) {
    Completion c = new Completion();
    s.redeliver(InputRecords.execution(r), false, c.record);
    c.record.release();
    return c;
  }

  @Test
  void aFailedManualResendGoesStraightBackToTheFailedExecutionsWithOneRetryMore() {
    directory.add("a", "x");
    DeliveryService s = service(10, 2);
    Event e = event("x");
    // Gone at its first attempt: the schedule (1s,1s,1s) would still have retries left for attempt 2.
    Completion c = redeliver(s, manualResend(e, "a", 0));
    assertThat(endpoint.calls.get(0).headers()).containsEntry("webhook-id", ExecutionId.of(e.getId(), "a"));
    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null));

    assertThat(log.of(RetryRequest.class)).as("no scheduled retry after a manual re-send").isEmpty();
    assertThat(log.of(Attempt.class)).singleElement().satisfies(a -> {
      assertThat(a.getTrigger()).isEqualTo(Trigger.MANUAL);
      assertThat(a.getAttempt()).isEqualTo(2);
      assertThat(a.getHttpStatus()).isEqualTo(500);
    });
    assertThat(log.of(FailedExecution.class)).singleElement().satisfies(f -> {
      assertThat(f.getState()).isEqualTo(FailedExecutionState.FAILED);
      assertThat(f.getExecutionId()).isEqualTo(ExecutionId.of(e.getId(), "a"));
      assertThat(f.getNumberOfRetries()).isEqualTo(1);
      assertThat(f.getLastHttpStatus()).isEqualTo(500);
      assertThat(f.getErrorCode()).isEqualTo("HTTP_ERROR");
      assertThat(f.getErrorMessage()).isEqualTo("HTTP 500");
      assertThat(f.getFirstExecutionTime()).isEqualTo(100L);
      assertThat(f.getLastExecutionTime()).isGreaterThan(200L);
    });
    assertThat(c.done).isTrue();
  }

  @Test
  void aManualResendThatGetsThroughResolvesTheFailedExecution() {
    directory.add("a", "x");
    DeliveryService s = service(10, 2);
    Event e = event("x");
    redeliver(s, manualResend(e, "a", 3));
    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));

    assertThat(log.of(Attempt.class)).singleElement().satisfies(a -> {
      assertThat(a.getTrigger()).isEqualTo(Trigger.MANUAL);
      assertThat(a.getAttempt()).isEqualTo(5);
      assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
    });
    assertThat(log.of(FailedExecution.class)).singleElement()
        .satisfies(f -> assertThat(f.getState()).isEqualTo(FailedExecutionState.RESOLVED));
  }

  @Test
  void aManualResendForADeletedOrDisabledWebhookEndsAsBeforeWithoutCallingIt() {
    directory.add("off", "x");
    directory.disable("off");
    DeliveryService s = service(10, 2);
    redeliver(s, manualResend(event("x"), "gone", 2));
    redeliver(s, manualResend(event("x"), "off", 2));

    assertThat(endpoint.calls).isEmpty();
    assertThat(log.of(Attempt.class)).isEmpty();
    assertThat(log.of(FailedExecution.class)).extracting(FailedExecution::getErrorCode)
        .containsExactly("WEBHOOK_DELETED", "WEBHOOK_DISABLED");
    assertThat(log.of(FailedExecution.class)).allSatisfy(f -> {
      assertThat(f.getState()).isEqualTo(FailedExecutionState.FAILED);
      assertThat(f.getNumberOfRetries()).as("no attempt was made").isEqualTo(2);
    });
  }

  @Test
  void anOutcomeThatCannotBeWrittenIsFatalAndTheRecordStaysIncomplete() {
    directory.add("a", "x");
    log.autoAck = false;
    DeliveryService s = service(10, 2);
    Completion c = dispatch(s, "x");
    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));
    log.acks.get(0).completeExceptionally(new IllegalStateException("broker says no"));

    assertThat(c.done).isFalse();
    assertThat(fatal.get()).hasMessageContaining("broker says no");
  }

  @Test
  void attemptsCarryTheExecutionIdStatusAndSignatureHeaders() {
    directory.add("a", "x");
    DeliveryService s = service(10, 2);
    dispatch(s, "x");
    Call call = endpoint.calls.get(0);
    assertThat(call.headers()).containsEntry("webhook-id", ExecutionId.of("e1", "a"))
        .containsKey("webhook-timestamp").hasEntrySatisfying("webhook-signature", v -> assertThat(v).startsWith("v1,"));
    call.answer().complete(new DeliveryOutcome.Delivered(204, "fine"));

    assertThat(log.of(Attempt.class)).singleElement().satisfies(a -> {
      assertThat(a.getExecutionId()).isEqualTo(ExecutionId.of("e1", "a"));
      assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
      assertThat(a.getHttpStatus()).isEqualTo(204);
      assertThat(a.getTrigger()).isEqualTo(Trigger.INITIAL);
      assertThat(a.getAttempt()).isEqualTo(1);
      assertThat(a.getDeliveredAt()).isNotNull();
      assertThat(a.getResponseExcerpt()).isEqualTo("fine");
    });
  }

  @Test
  void stoppingStartsNothingNew() throws Exception {
    directory.add("a", "x");
    DeliveryService s = service(1, 1);
    dispatch(s, "x");
    dispatch(s, "x");
    s.stop();
    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(s.awaitIdle(Duration.ofSeconds(1))).isTrue();
    assertThat(endpoint.calls).hasSize(1);
  }
}
