package io.hookline.dispatcher.domain;

import static io.hookline.dispatcher.domain.CircuitBreaker.Permit.CALL;
import static io.hookline.dispatcher.domain.CircuitBreaker.Permit.PROBE;
import static io.hookline.dispatcher.domain.CircuitBreaker.Permit.REFUSE;
import static io.hookline.dispatcher.domain.CircuitBreaker.Permit.WAIT;
import static io.hookline.dispatcher.domain.CircuitBreaker.Signal.HEALTHY;
import static io.hookline.dispatcher.domain.CircuitBreaker.Signal.NONE;
import static io.hookline.dispatcher.domain.CircuitBreaker.Signal.TROUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.dispatcher.domain.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

/** The breaker's states, driven by recorded signals and a clock the test moves. */
class CircuitBreakerTest {

  static final long OPEN_MS = 1_000;
  final CircuitBreaker breaker = new CircuitBreaker(3, OPEN_MS);
  long now = 10_000;

  @Test
  void opensAfterTheThresholdOfConsecutiveTroubleOnly() {
    breaker.record(TROUBLE, false, now);
    breaker.record(TROUBLE, false, now);
    breaker.record(HEALTHY, false, now); // an answer clears the count
    breaker.record(TROUBLE, false, now);
    assertThat(breaker.record(TROUBLE, false, now)).isFalse();
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
    assertThat(breaker.peek(now)).isEqualTo(CALL);

    assertThat(breaker.record(TROUBLE, false, now)).isTrue();
    assertThat(breaker.state(now)).isEqualTo(State.OPEN);
    assertThat(breaker.acquire(now + OPEN_MS - 1)).isEqualTo(REFUSE);
  }

  @Test
  void halfOpenLetsExactlyOneProbeThroughAndAnAnswerCloses() {
    open();
    now += OPEN_MS;
    assertThat(breaker.state(now)).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.peek(now)).isEqualTo(PROBE);
    assertThat(breaker.acquire(now)).isEqualTo(PROBE);
    assertThat(breaker.acquire(now)).isEqualTo(WAIT);
    assertThat(breaker.peek(now + 60_000)).isEqualTo(WAIT);

    breaker.record(HEALTHY, true, now);
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
    assertThat(breaker.acquire(now)).isEqualTo(CALL);
    assertThat(breaker.pristine()).isTrue();
  }

  @Test
  void aFailedProbeOpensForAnotherFullPeriod() {
    open();
    now += OPEN_MS + 500;
    assertThat(breaker.acquire(now)).isEqualTo(PROBE);
    now += 200;
    assertThat(breaker.record(TROUBLE, true, now)).isTrue();
    assertThat(breaker.peek(now + OPEN_MS - 1)).isEqualTo(REFUSE);
    assertThat(breaker.peek(now + OPEN_MS)).isEqualTo(PROBE);
  }

  @Test
  void aProbeThatWasNotSentGivesTheProbeBack() {
    open();
    now += OPEN_MS;
    assertThat(breaker.acquire(now)).isEqualTo(PROBE);
    breaker.record(NONE, true, now);
    assertThat(breaker.state(now)).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.acquire(now)).isEqualTo(PROBE);
  }

  @Test
  void troubleFromRequestsStartedBeforeItOpenedIsIgnoredButAnAnswerCloses() {
    open();
    assertThat(breaker.record(TROUBLE, false, now + 10)).isFalse();
    assertThat(breaker.peek(now + OPEN_MS)).isEqualTo(PROBE); // not pushed further out
    now += OPEN_MS;
    breaker.acquire(now);
    assertThat(breaker.record(TROUBLE, false, now)).isFalse(); // only the probe decides
    assertThat(breaker.peek(now)).isEqualTo(WAIT);
    breaker.record(HEALTHY, false, now);
    assertThat(breaker.state(now)).isEqualTo(State.CLOSED);
  }

  @Test
  void notCalledAttemptsSayNothing() {
    breaker.record(TROUBLE, false, now);
    breaker.record(TROUBLE, false, now);
    breaker.record(NONE, false, now);
    assertThat(breaker.consecutiveFailures()).isEqualTo(2);
    assertThat(breaker.pristine()).isFalse();
  }

  @Test
  void aZeroThresholdNeverOpens() {
    CircuitBreaker off = new CircuitBreaker(0, OPEN_MS);
    for (int i = 0; i < 100; i++) {
      assertThat(off.record(TROUBLE, false, now)).isFalse();
    }
    assertThat(off.peek(now)).isEqualTo(CALL);
  }

  @Test
  void outcomesAreSortedIntoSignals() {
    assertThat(CircuitBreaker.signalOf(new DeliveryOutcome.Delivered(204, null))).isEqualTo(HEALTHY);
    assertThat(CircuitBreaker.signalOf(DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "t"))).isEqualTo(TROUBLE);
    assertThat(CircuitBreaker.signalOf(DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "c"))).isEqualTo(TROUBLE);
    assertThat(CircuitBreaker.signalOf(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 503, "m", null))).isEqualTo(HEALTHY);
    assertThat(CircuitBreaker.signalOf(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 429, "m", null))).isEqualTo(HEALTHY);
    assertThat(CircuitBreaker.signalOf(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 404, "m", null))).isEqualTo(HEALTHY);
    assertThat(CircuitBreaker.signalOf(DeliveryOutcome.Failed.of(FailureReason.SECRET_EXPIRED, "s"))).isEqualTo(NONE);
    assertThat(CircuitBreaker.signalOf(DeliveryOutcome.Failed.of(FailureReason.CIRCUIT_OPEN, "o"))).isEqualTo(NONE);
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> new CircuitBreaker(-1, OPEN_MS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CircuitBreaker(3, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.record(TROUBLE, false, now);
    }
    assertThat(breaker.state(now)).isEqualTo(State.OPEN);
  }
}
