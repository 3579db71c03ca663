package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.schemas.RetrySchedule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final DeliveryOutcome.Failed ERROR = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null);
  private static final DeliveryOutcome.Failed GONE = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 410, "gone", null);

  /** The product's default schedule, three retries a minute apart. */
  private final RetryPolicy policy = new RetryPolicy(RetrySchedule.defaults());

  @Test
  void theDefaultScheduleRetriesThreeTimesAMinuteApartThenGivesUpAfterThreeRetries() {
    assertThat(policy.afterFailure(1, ERROR)).isEqualTo(new RetryPolicy.RetryLater(2, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(2, ERROR)).isEqualTo(new RetryPolicy.RetryLater(3, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(3, ERROR)).isEqualTo(new RetryPolicy.RetryLater(4, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(4, ERROR)).isEqualTo(new RetryPolicy.GiveUp(3));
  }

  @Test
  void eachRetryWaitsItsOwnDelay() {
    RetryPolicy stepped = new RetryPolicy(RetrySchedule.parse("5s,5m,30m,2h"));

    assertThat(stepped.afterFailure(1, ERROR)).isEqualTo(new RetryPolicy.RetryLater(2, Duration.ofSeconds(5)));
    assertThat(stepped.afterFailure(4, ERROR)).isEqualTo(new RetryPolicy.RetryLater(5, Duration.ofHours(2)));
    assertThat(stepped.afterFailure(5, ERROR)).isEqualTo(new RetryPolicy.GiveUp(4));
  }

  @Test
  void goneIsNeverRetried() {
    assertThat(policy.afterFailure(1, GONE)).isEqualTo(new RetryPolicy.GiveUp(0));
    assertThat(policy.afterFailure(3, GONE)).isEqualTo(new RetryPolicy.GiveUp(2));
  }

  @Test
  void anEmptyScheduleGivesUpAfterTheFirstAttempt() {
    assertThat(new RetryPolicy(RetrySchedule.parse("")).afterFailure(1, ERROR)).isEqualTo(new RetryPolicy.GiveUp(0));
  }

  @Test
  void aManualRetryPastTheScheduleEndsAsAFailedExecutionAgain() {
    assertThat(policy.afterFailure(5, ERROR)).isEqualTo(new RetryPolicy.GiveUp(4));
  }

  @Test
  void aRefusedTargetIsNeverRetried() {
    DeliveryOutcome.Failed refused = DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED, "127.0.0.1 is loopback");
    assertThat(policy.afterFailure(1, refused)).isEqualTo(new RetryPolicy.GiveUp(0));
    assertThat(policy.afterFailure(2, refused)).isEqualTo(new RetryPolicy.GiveUp(1));
    assertThat(FailureReason.TARGET_REFUSED.retryable()).isFalse();
    assertThat(FailureReason.SECRET_UNREADABLE.retryable()).isTrue();
  }

  @Test
  void aFailedManualResendGoesBackToTheFailedExecutionsWithOneRetryMoreEvenWithDelaysLeft() {
    // Gone at the first attempt (0 retries), re-sent by hand as attempt 2: the schedule still has
    // a delay before attempt 3, but a manual re-send is one attempt, not a new chain.
    assertThat(policy.afterFailure(2, Trigger.MANUAL, ERROR)).isEqualTo(new RetryPolicy.GiveUp(1));
    assertThat(policy.afterFailure(5, Trigger.MANUAL, ERROR)).isEqualTo(new RetryPolicy.GiveUp(4));
    assertThat(policy.afterFailure(2, Trigger.MANUAL, GONE)).isEqualTo(new RetryPolicy.GiveUp(1));
  }

  @Test
  void scheduledAndInitialAttemptsFollowTheSchedule() {
    assertThat(policy.afterFailure(1, Trigger.INITIAL, ERROR)).isEqualTo(new RetryPolicy.RetryLater(2, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(2, Trigger.SCHEDULED, ERROR)).isEqualTo(new RetryPolicy.RetryLater(3, Duration.ofSeconds(60)));
  }
}
