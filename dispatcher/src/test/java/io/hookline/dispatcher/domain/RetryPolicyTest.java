package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.schemas.RetrySchedule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final DeliveryOutcome.Failed ERROR = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null);
  private static final DeliveryOutcome.Failed GONE = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 410, "gone", null);

  @Test
  void theDefaultScheduleRetriesThreeTimesAMinuteApartThenGivesUpAfterThreeRetries() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("60s,60s,60s"));

    assertThat(policy.afterFailure(1, ERROR)).isEqualTo(new RetryPolicy.RetryLater(2, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(2, ERROR)).isEqualTo(new RetryPolicy.RetryLater(3, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(3, ERROR)).isEqualTo(new RetryPolicy.RetryLater(4, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(4, ERROR)).isEqualTo(new RetryPolicy.GiveUp(3));
  }

  @Test
  void eachRetryWaitsItsOwnDelay() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("5s,5m,30m,2h"));

    assertThat(policy.afterFailure(1, ERROR)).isEqualTo(new RetryPolicy.RetryLater(2, Duration.ofSeconds(5)));
    assertThat(policy.afterFailure(4, ERROR)).isEqualTo(new RetryPolicy.RetryLater(5, Duration.ofHours(2)));
    assertThat(policy.afterFailure(5, ERROR)).isEqualTo(new RetryPolicy.GiveUp(4));
  }

  @Test
  void goneIsNeverRetried() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("60s,60s,60s"));

    assertThat(policy.afterFailure(1, GONE)).isEqualTo(new RetryPolicy.GiveUp(0));
    assertThat(policy.afterFailure(3, GONE)).isEqualTo(new RetryPolicy.GiveUp(2));
  }

  @Test
  void anEmptyScheduleGivesUpAfterTheFirstAttempt() {
    assertThat(new RetryPolicy(RetrySchedule.parse("")).afterFailure(1, ERROR)).isEqualTo(new RetryPolicy.GiveUp(0));
  }

  @Test
  void aManualRetryPastTheScheduleEndsAsAFailedExecutionAgain() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("60s,60s,60s"));
    assertThat(policy.afterFailure(5, ERROR)).isEqualTo(new RetryPolicy.GiveUp(4));
  }

  @Test
  void aRefusedTargetIsNeverRetried() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("60s,60s,60s"));
    DeliveryOutcome.Failed refused = DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED, "127.0.0.1 is loopback");
    assertThat(policy.afterFailure(1, refused)).isEqualTo(new RetryPolicy.GiveUp(0));
    assertThat(policy.afterFailure(2, refused)).isEqualTo(new RetryPolicy.GiveUp(1));
    assertThat(FailureReason.TARGET_REFUSED.retryable()).isFalse();
    assertThat(FailureReason.SECRET_UNREADABLE.retryable()).isTrue();
  }

  @Test
  void aFailedManualResendGoesBackToTheFailedExecutionsWithOneRetryMoreEvenWithDelaysLeft() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("60s,60s,60s"));

    // Gone at the first attempt (0 retries), re-sent by hand as attempt 2: the schedule still has
    // a delay before attempt 3, but a manual re-send is one attempt, not a new chain.
    assertThat(policy.afterFailure(2, Trigger.MANUAL, ERROR)).isEqualTo(new RetryPolicy.GiveUp(1));
    assertThat(policy.afterFailure(5, Trigger.MANUAL, ERROR)).isEqualTo(new RetryPolicy.GiveUp(4));
    assertThat(policy.afterFailure(2, Trigger.MANUAL, GONE)).isEqualTo(new RetryPolicy.GiveUp(1));
  }

  @Test
  void scheduledAndInitialAttemptsFollowTheSchedule() {
    RetryPolicy policy = new RetryPolicy(RetrySchedule.parse("60s,60s,60s"));
    assertThat(policy.afterFailure(1, Trigger.INITIAL, ERROR)).isEqualTo(new RetryPolicy.RetryLater(2, Duration.ofSeconds(60)));
    assertThat(policy.afterFailure(2, Trigger.SCHEDULED, ERROR)).isEqualTo(new RetryPolicy.RetryLater(3, Duration.ofSeconds(60)));
  }
}
