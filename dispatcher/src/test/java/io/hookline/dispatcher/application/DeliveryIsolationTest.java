package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.dispatcher.adapter.in.kafka.InputRecords;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.application.DeliveryServiceTest.Completion;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.schemas.RetrySchedule;
import io.hookline.runtime.SecretCipher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Circuit breakers and lane bounds in the engine: a failing webhook's executions are parked (not
 * attempted, their records complete), come back, are probed, and a parked execution that meets an
 * open breaker again is tried without a call so attempt counts and dead letters stay right. The
 * endpoint and the log are in memory; the clock is moved by hand.
 */
class DeliveryIsolationTest {

  static final long OPEN_MS = 1_000;

  static final class MovableClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }
  }

  final DeliveryServiceTest.Endpoint endpoint = new DeliveryServiceTest.Endpoint();
  final DeliveryServiceTest.Log log = new DeliveryServiceTest.Log();
  final DeliveryServiceTest.Directory directory = new DeliveryServiceTest.Directory();
  final FatalFailure fatal = new FatalFailure();
  final MovableClock clock = new MovableClock();
  int eventSeq;

  DeliveryService service(int perWebhook, int maxQueued, int maxQueuedPerWebhook) {
    return new DeliveryService(directory, endpoint, new ContractEventBodies(), log,
        new RetryPolicy(RetrySchedule.parse("1s,1s,1s")), new DeliveryLimits(100, perWebhook, maxQueued, Duration.ofSeconds(5)),
        new IsolationLimits(2, Duration.ofMillis(OPEN_MS), maxQueuedPerWebhook), clock, fatal,
        SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "test"), Runnable::run);
  }

  Completion dispatch(DeliveryService s, String eventName) {
    Completion c = new Completion();
    s.dispatch(InputRecords.event(Event.newBuilder().setId("e" + (++eventSeq)).setPortal("zylker").setEvent(eventName).setEventTime(1L)
        .setPayload("{}").build()), c.record);
    c.record.release();
    return c;
  }

  Completion comeBack(DeliveryService s, RetryRequest r, boolean wasParked) {
    Completion c = new Completion();
    s.redeliver(InputRecords.execution(r), wasParked, c.record);
    c.record.release();
    return c;
  }

  static DeliveryOutcome timeout() {
    return DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "no answer within 5s");
  }

  /**
   * Two timeouts open the breaker of "dead" (threshold 2, two requests in flight per webhook): the
   * first frees a slot for the third execution, the second opens the breaker and parks the last
   * two; the third then times out too, ignored while the breaker is open.
   */
  DeliveryService withOpenBreaker(List<Completion> queued) {
    directory.add("dead", "d");
    DeliveryService s = service(2, 10_000, 1_000);
    for (int i = 0; i < 3; i++) {
      dispatch(s, "d");
    }
    queued.add(dispatch(s, "d"));
    queued.add(dispatch(s, "d"));
    assertThat(endpoint.calls).hasSize(2);
    endpoint.calls.get(0).answer().complete(timeout());
    endpoint.calls.get(1).answer().complete(timeout());
    assertThat(endpoint.calls).hasSize(3);
    endpoint.calls.get(2).answer().complete(timeout());
    return s;
  }


  @Test
  void parkingRunsOnTheDiversionsExecutorNotTheCompletingThreadAndCountsAsBacklogUntilDone() throws Exception {
    List<Runnable> parkingWork = new java.util.ArrayList<>();
    directory.add("dead", "d");
    DeliveryService s = new DeliveryService(directory, endpoint, new ContractEventBodies(), log,
        new RetryPolicy(RetrySchedule.parse("1s,1s,1s")),
        new DeliveryLimits(100, 2, 10_000, Duration.ofSeconds(5)),
        new IsolationLimits(2, Duration.ofMillis(OPEN_MS), 1_000), clock, fatal,
        SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "test"), parkingWork::add);
    for (int i = 0; i < 3; i++) {
      dispatch(s, "d");
    }
    List<Completion> queued = List.of(dispatch(s, "d"), dispatch(s, "d"));
    endpoint.calls.get(0).answer().complete(timeout());
    endpoint.calls.get(1).answer().complete(timeout()); // opens the breaker: the two queued are diverted
    endpoint.calls.get(2).answer().complete(timeout());

    assertThat(log.parkReasons).isEmpty();
    assertThat(parkingWork).hasSize(1);
    assertThat(s.admitted()).isEqualTo(2);
    assertThat(queued).allSatisfy(c -> assertThat(c.done).isFalse());
    assertThat(s.awaitIdle(Duration.ofMillis(50))).isFalse();

    parkingWork.forEach(Runnable::run);

    assertThat(log.parkReasons).containsExactly("CIRCUIT_OPEN", "CIRCUIT_OPEN");
    assertThat(s.admitted()).isZero();
    assertThat(queued).allSatisfy(c -> assertThat(c.done).isTrue());
    assertThat(s.awaitIdle(Duration.ZERO)).isTrue();
  }

  @Test
  void anOpenBreakerParksQueuedAndNewExecutionsWithoutAnAttemptAndTheirRecordsComplete() {
    List<Completion> queued = new java.util.ArrayList<>();
    DeliveryService s = withOpenBreaker(queued);
    Completion later = dispatch(s, "d");

    assertThat(endpoint.calls).hasSize(3);
    assertThat(log.of(Attempt.class)).hasSize(3).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AttemptStatus.TIMEOUT));
    assertThat(log.parkReasons).containsExactly("CIRCUIT_OPEN", "CIRCUIT_OPEN", "CIRCUIT_OPEN");
    List<RetryRequest> parked = log.of(RetryRequest.class).stream().filter(r -> r.getAttempt() == 1).toList();
    assertThat(parked).hasSize(3).allSatisfy(r -> {
      assertThat(r.getTrigger()).isEqualTo(Trigger.INITIAL);
      assertThat(r.getDueAt()).isEqualTo(clock.millis() + OPEN_MS);
      assertThat(r.getWebhookId()).isEqualTo("dead");
    });
    assertThat(queued).allSatisfy(c -> assertThat(c.done).isTrue());
    assertThat(later.done).isTrue();
    assertThat(s.admitted()).isZero();
    assertThat(s.isolationCounts()).isEqualTo(new DeliveryService.IsolationCounts(3, 0, 1));
  }

  @Test
  void aHealthyWebhookIsCalledWhileAnotherOnesBreakerIsOpen() {
    DeliveryService s = withOpenBreaker(new java.util.ArrayList<>());
    directory.add("fine", "f");
    Completion c = dispatch(s, "f");
    assertThat(endpoint.calls.get(3).url()).isEqualTo("http://hooks.test/fine");
    endpoint.calls.get(3).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(c.done).isTrue();
  }

  List<RetryRequest> parked() {
    return log.of(RetryRequest.class).stream().filter(r -> r.getAttempt() == 1).toList();
  }

  @Test
  void afterTheOpenDurationOneProbeGoesThroughOthersWaitAndAnAnswerLetsThemGo() {
    DeliveryService s = withOpenBreaker(new java.util.ArrayList<>());
    List<RetryRequest> parked = parked();
    clock.millis.addAndGet(OPEN_MS);

    Completion probe = comeBack(s, parked.get(0), true);
    Completion waiting = comeBack(s, parked.get(1), true);
    assertThat(endpoint.calls).hasSize(4);
    assertThat(waiting.done).isFalse();

    endpoint.calls.get(3).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(probe.done).isTrue();
    assertThat(endpoint.calls).hasSize(5);
    endpoint.calls.get(4).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(waiting.done).isTrue();
    Attempt first = log.of(Attempt.class).get(3);
    assertThat(first.getAttempt()).isEqualTo(1);
    assertThat(first.getTrigger()).isEqualTo(Trigger.INITIAL);
    assertThat(first.getStatus()).isEqualTo(AttemptStatus.SENT);
  }

  @Test
  void aFailedProbeReopensAndTheReturnedExecutionsAreTriedWithoutACallKeepingTheirCount() {
    DeliveryService s = withOpenBreaker(new java.util.ArrayList<>());
    List<RetryRequest> parked = parked();
    clock.millis.addAndGet(OPEN_MS);
    comeBack(s, parked.get(0), true);
    Completion returned = comeBack(s, parked.get(1), true);
    Completion fresh = dispatch(s, "d");

    endpoint.calls.get(3).answer().complete(timeout());

    assertThat(endpoint.calls).hasSize(4);
    assertThat(returned.done).isTrue();
    assertThat(fresh.done).isTrue();
    Attempt refused = log.of(Attempt.class).stream()
        .filter(a -> FailureReason.CIRCUIT_OPEN.name().equals(a.getErrorCode())).findFirst().orElseThrow();
    assertThat(refused.getAttempt()).isEqualTo(1);
    assertThat(refused.getDurationMs()).isZero();
    assertThat(log.of(RetryRequest.class)).anySatisfy(r -> {
      assertThat(r.getExecutionId()).isEqualTo(refused.getExecutionId());
      assertThat(r.getAttempt()).isEqualTo(2);
      assertThat(r.getLastErrorCode()).isEqualTo("CIRCUIT_OPEN");
    });
    assertThat(log.parkReasons).hasSize(3); // two when it opened, the fresh one now; the returned one not again
    assertThat(s.isolationCounts().refused()).isEqualTo(1);
  }

  /** A retry request for event {@code e} to the webhook whose breaker is open, first tried at 100, last at 200. */
  static RetryRequest retryOfDead(Event e, int attempt, Trigger trigger) {
    return RetryRequest.newBuilder().setExecutionId(ExecutionId.of(e.getId(), "dead")).setWebhookId("dead")
        .setAttempt(attempt).setDueAt(1L).setTrigger(trigger).setFirstAttemptAt(100L).setLastAttemptAt(200L)
        .setEvent(e).build();
  }

  @Test
  void theLastAttemptMeetingAnOpenBreakerEndsInTheDeadLetterWithTheUsualRetries() {
    DeliveryService s = withOpenBreaker(new java.util.ArrayList<>());
    Event e = parked().get(0).getEvent();
    RetryRequest last = retryOfDead(e, 4, Trigger.SCHEDULED);

    Completion c = comeBack(s, last, true);

    assertThat(c.done).isTrue();
    assertThat(log.of(FailedExecution.class)).singleElement().satisfies(f -> {
      assertThat(f.getNumberOfRetries()).isEqualTo(3);
      assertThat(f.getErrorCode()).isEqualTo("CIRCUIT_OPEN");
      assertThat(f.getFirstExecutionTime()).isEqualTo(100L);
    });
  }

  @Test
  void aManualRetryIsNeverParked() {
    DeliveryService s = withOpenBreaker(new java.util.ArrayList<>());
    Event e = parked().get(0).getEvent();
    RetryRequest manual = retryOfDead(e, 5, Trigger.MANUAL);
    int parkedBefore = log.parkReasons.size();

    comeBack(s, manual, false);

    assertThat(log.parkReasons).hasSize(parkedBefore);
    assertThat(log.of(Attempt.class)).last().satisfies(a -> {
      assertThat(a.getTrigger()).isEqualTo(Trigger.MANUAL);
      assertThat(a.getErrorCode()).isEqualTo("CIRCUIT_OPEN");
    });
  }

  @Test
  void aFullSlowLaneParksNewExecutionsAFullFastLaneDoesNotAndReturnedOnesAreTakenBack() {
    directory.add("slow", "s");
    directory.add("fast", "f");
    DeliveryService s = service(1, 10_000, 2);
    for (int i = 0; i < 6; i++) {
      dispatch(s, "f"); // a long queue, but no request took any time yet
    }
    assertThat(log.parkReasons).isEmpty();

    dispatch(s, "s");
    dispatch(s, "s");
    clock.millis.addAndGet(600);
    endpoint.calls.get(1).answer().complete(new DeliveryOutcome.Delivered(200, null)); // the slow one took 600ms
    dispatch(s, "s");
    dispatch(s, "s"); // one in flight, two waiting: 2 x 600ms / 1 slot > 1s open duration
    assertThat(log.parkReasons).isEmpty();
    Completion overflow = dispatch(s, "s");
    assertThat(log.parkReasons).containsExactly("QUEUE_FULL");
    assertThat(overflow.done).isTrue();

    Completion back = comeBack(s, parked().get(0), true);
    assertThat(back.done).isFalse();
    assertThat(s.admitted()).isEqualTo(6 + 4);
  }
}
