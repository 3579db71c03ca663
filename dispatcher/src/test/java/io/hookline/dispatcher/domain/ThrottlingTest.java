package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThrottlingTest {

  private static final long NOW = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();
  private final Throttling throttling = new Throttling(Duration.ofHours(1));

  private static DeliveryOutcome.Failed answer(int status, String retryAfter) {
    return new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, status, "HTTP " + status, null, retryAfter);
  }

  @Test
  void deltaSecondsAreSecondsFromNow() {
    assertThat(RetryAfter.until("2", NOW)).hasValue(NOW + 2_000);
    assertThat(RetryAfter.until(" 120 ", NOW)).hasValue(NOW + 120_000);
    assertThat(RetryAfter.until("007", NOW)).hasValue(NOW + 7_000);
    assertThat(RetryAfter.until("0", NOW)).hasValue(NOW);
  }

  @Test
  void anHttpDateIsThatTime() {
    assertThat(RetryAfter.until("Mon, 07 Dec 2026 12:00:30 GMT", NOW)).hasValue(NOW + 30_000);
    assertThat(RetryAfter.until("Mon, 07 Dec 2026 11:59:00 GMT", NOW)).hasValue(NOW - 60_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-5", "1.5", "soon", "2s", "Monday, 07-Dec-26 12:00:30 GMT", "0x10"})
  void anythingElseIsNotUnderstood(String value) {
    assertThat(RetryAfter.until(value, NOW)).isEmpty();
    assertThat(RetryAfter.until(null, NOW)).isEmpty();
  }

  @Test
  void aHugeNumberOfSecondsDoesNotOverflow() {
    assertThat(RetryAfter.until("99999999999999999999999", NOW).getAsLong()).isGreaterThan(NOW);
  }

  @Test
  void a429PausesForWhatRetryAfterAsks() {
    assertThat(throttling.pauseUntil(answer(429, "2"), NOW)).hasValue(NOW + 2_000);
    assertThat(throttling.pauseUntil(answer(429, "Mon, 07 Dec 2026 12:00:30 GMT"), NOW)).hasValue(NOW + 30_000);
  }

  @Test
  void a429WithoutAUsableRetryAfterPausesForTheDefault() {
    assertThat(throttling.pauseUntil(answer(429, null), NOW)).hasValue(NOW + Throttling.DEFAULT_PAUSE.toMillis());
    assertThat(throttling.pauseUntil(answer(429, "-3"), NOW)).hasValue(NOW + Throttling.DEFAULT_PAUSE.toMillis());
  }

  @Test
  void gatewayAndUnavailableAnswersPauseOnlyWithRetryAfter() {
    for (int status : new int[] {502, 503, 504}) {
      assertThat(throttling.pauseUntil(answer(status, "5"), NOW)).as("%d with Retry-After", status).hasValue(NOW + 5_000);
      assertThat(throttling.pauseUntil(answer(status, "later"), NOW)).as("%d, not understood", status)
          .hasValue(NOW + Throttling.DEFAULT_PAUSE.toMillis());
      assertThat(throttling.pauseUntil(answer(status, null), NOW)).as("%d without", status).isEmpty();
    }
  }

  @Test
  void otherAnswersNeverPause() {
    assertThat(throttling.pauseUntil(answer(500, "5"), NOW)).isEmpty();
    assertThat(throttling.pauseUntil(answer(410, "5"), NOW)).isEmpty();
    assertThat(throttling.pauseUntil(new DeliveryOutcome.Delivered(200, null), NOW)).isEmpty();
    assertThat(throttling.pauseUntil(DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "t"), NOW)).isEmpty();
  }

  @Test
  void thePauseIsCappedAndNeverShorterThanTheMinimum() {
    assertThat(throttling.pauseUntil(answer(429, "86400"), NOW)).hasValue(NOW + Duration.ofHours(1).toMillis());
    assertThat(new Throttling(Duration.ofSeconds(30)).pauseUntil(answer(429, null), NOW)).hasValue(NOW + 30_000);
    assertThat(throttling.pauseUntil(answer(429, "0"), NOW)).hasValue(NOW + Throttling.MIN_PAUSE.toMillis());
    assertThat(throttling.pauseUntil(answer(503, "Mon, 07 Dec 2026 11:00:00 GMT"), NOW))
        .hasValue(NOW + Throttling.MIN_PAUSE.toMillis());
  }

  @Test
  void theCapIsAtLeastTheMinimumPause() {
    assertThatThrownBy(() -> new Throttling(Duration.ofMillis(500))).hasMessageContaining("max-retry-after");
    assertThat(new Throttling(Duration.ofSeconds(1)).pauseUntil(answer(429, "9"), NOW)).isEqualTo(OptionalLong.of(NOW + 1_000));
  }
}
