package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.adapter.in.kafka.InputRecords;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.Throttling;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.RetrySchedule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end of a pause keeps the webhook's order, in the exact interleavings that broke it: an
 * execution that arrives after the pause ended but before the executions parked for it came back
 * (through the parked topic, the retry-scheduler and the redeliveries topic) waits behind them,
 * held here when they come back here, handed over behind them when they come back to another
 * instance; a lost count stops holding anything back once {@link PauseDrain#PATIENCE} passed; and
 * parked executions that come back early, due at the same time, start in the order they came
 * back, even when the last one arrives already due. One request in flight per webhook; the clock
 * is moved by hand.
 */
class PauseDrainTest {

  final DeliveryIsolationTest.MovableClock clock = new DeliveryIsolationTest.MovableClock();
  final DeliveryServiceTest t = new DeliveryServiceTest();

  DeliveryService service(WebhookOwnership ownership) {
    t.directory.add("busy", "x");
    return new DeliveryService(t.directory, t.endpoint, new ContractEventBodies(), t.log,
        new RetryPolicy(RetrySchedule.parse("1s,1s,1s")), new DeliveryLimits(10, 1, 10_000, Duration.ofSeconds(5)),
        IsolationLimits.OFF, clock, t.fatal, SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "test"),
        Runnable::run, EndpointMonitor.off(), DeliveryMetrics.NONE, new Throttling(Duration.ofMinutes(5)), ownership);
  }

  /** e1 is answered 429 Retry-After: 2 while e2 and e3 wait; e4 arrives during the pause; the pause then ends. */
  long pauseWithFourParked(DeliveryService s) {
    t.dispatch(s, "x");
    t.dispatch(s, "x");
    t.dispatch(s, "x");
    answer(0, new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 429, "HTTP 429", null, "2"));
    t.dispatch(s, "x");
    assertThat(parked()).as("parked in order for the pause").containsExactly("e1", "e2", "e3", "e4");
    assertThat(t.endpoint.calls).hasSize(1);
    long until = t.log.of(RetryRequest.class).get(0).getDueAt();
    clock.millis.set(until);
    return until;
  }

  @Test
  void anExecutionArrivingAfterThePauseButBeforeTheParkedOnesCameBackWaitsBehindThem() {
    DeliveryService s = service(WebhookOwnership.ALL);
    long until = pauseWithFourParked(s);

    t.dispatch(s, "x");
    assertThat(t.endpoint.calls).as("e5 is held until every parked execution is back").hasSize(1);

    List<RetryRequest> parked = t.log.of(RetryRequest.class);
    for (RetryRequest r : parked) {
      comeBack(s, r);
      clock.millis.addAndGet(10);
      answer(t.endpoint.calls.size() - 1, new DeliveryOutcome.Delivered(200, null));
    }
    answer(t.endpoint.calls.size() - 1, new DeliveryOutcome.Delivered(200, null));

    assertThat(called()).as("publish order, each once after the 429").containsExactly("e1", "e1", "e2", "e3", "e4", "e5");
    assertThat(t.log.of(Attempt.class)).extracting(Attempt::getAttempt).containsOnly(1);
    assertThat(t.log.parkReasons).containsOnly("THROTTLED").hasSize(4);
    assertThat(s.admitted()).isZero();
    assertThat(until).isPositive();
  }

  @Test
  void onAnInstanceTheParkedOnesDoNotComeBackToANewExecutionIsHandedOverBehindThem() {
    DeliveryService s = service(webhookId -> false);
    pauseWithFourParked(s);

    t.dispatch(s, "x");

    assertThat(t.endpoint.calls).as("e5 not sent here").hasSize(1);
    assertThat(parked()).as("behind the parked ones, due now").containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(t.log.of(RetryRequest.class).get(4).getDueAt()).isEqualTo(clock.millis());
    assertThat(t.log.of(RetryRequest.class).get(4).getAttempt()).isEqualTo(1);

    clock.millis.addAndGet(PauseDrain.PATIENCE.toMillis());
    t.dispatch(s, "x");
    assertThat(called()).as("after the patience ran out without a hand-over, new ones go again").containsExactly("e1", "e6");
  }

  @Test
  void aLostCountHoldsNothingBackLongerThanThePatience() {
    DeliveryService s = service(WebhookOwnership.ALL);
    pauseWithFourParked(s);
    t.dispatch(s, "x");
    clock.millis.addAndGet(PauseDrain.PATIENCE.toMillis() - 1);
    t.dispatch(s, "x");
    assertThat(t.endpoint.calls).as("e5 and e6 held").hasSize(1);

    clock.millis.addAndGet(1);
    t.dispatch(s, "x");

    assertThat(called()).as("the held ones first, in order").containsExactly("e1", "e5");
    answer(1, new DeliveryOutcome.Delivered(200, null));
    answer(2, new DeliveryOutcome.Delivered(200, null));
    assertThat(called()).containsExactly("e1", "e5", "e6", "e7");
  }

  @Test
  void parkedExecutionsComingBackEarlyStartInTheOrderTheyCameBackEvenWhenTheLastArrivesDue() {
    DeliveryService s = service(WebhookOwnership.ALL);
    long until = pauseWithFourParked(s);
    clock.millis.set(until - 5_000); // the retry-scheduler hands them over before they are due
    List<RetryRequest> parked = t.log.of(RetryRequest.class);
    for (RetryRequest r : parked.subList(0, 3)) {
      comeBack(s, r);
    }
    assertThat(s.heldUntilDue()).isEqualTo(3);

    clock.millis.set(until);
    comeBack(s, parked.get(3));
    assertThat(called()).as("the first one back goes first").containsExactly("e1", "e1");
    for (int i = 1; i <= 4; i++) {
      answer(i, new DeliveryOutcome.Delivered(200, null));
    }

    assertThat(called()).containsExactly("e1", "e1", "e2", "e3", "e4");
    assertThat(s.heldUntilDue()).isZero();
  }

  void comeBack(DeliveryService s, RetryRequest r) {
    DeliveryServiceTest.Completion c = new DeliveryServiceTest.Completion();
    s.redeliverWhenDue(InputRecords.execution(r), r.getDueAt(), DeliveryLanes.THROTTLED, c.record);
    c.record.release();
  }

  void answer(int call, DeliveryOutcome outcome) {
    t.endpoint.calls.get(call).answer().complete(outcome);
  }

  List<String> parked() {
    return t.log.of(RetryRequest.class).stream().map(r -> r.getEvent().getId()).toList();
  }

  List<String> called() {
    return t.endpoint.calls.stream().map(c -> c.headers().get("webhook-id"))
        .map(id -> List.of("e1", "e2", "e3", "e4", "e5", "e6", "e7").stream()
            .filter(e -> ExecutionId.of(e, "busy").equals(id)).findFirst().orElse(id)).toList();
  }
}
