package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.dispatcher.domain.EndpointLifecycle.ClearFailingSince;
import io.hookline.dispatcher.domain.EndpointLifecycle.Disable;
import io.hookline.dispatcher.domain.EndpointLifecycle.Keep;
import io.hookline.dispatcher.domain.EndpointLifecycle.RecordFailingSince;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an endpoint is disabled: a 410 at once, a failure streak after disable-after; the clock and its checkpoints. */
class EndpointLifecycleTest {

  static final long DAY = Duration.ofDays(1).toMillis();
  static final long HOUR = Duration.ofHours(1).toMillis();
  static final DeliveryOutcome DELIVERED = new DeliveryOutcome.Delivered(200, null);
  static final DeliveryOutcome.Failed FAILED = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null);
  static final DeliveryOutcome.Failed TIMED_OUT = DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "timed out");
  static final DeliveryOutcome.Failed GONE = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 410, "HTTP 410", null);

  final EndpointLifecycle lifecycle = new EndpointLifecycle(Duration.ofDays(5), 1_000);
  long now = 1_700_000_000_000L;

  static Webhook webhook(String id) {
    return new Webhook(id, "zylker", "https://example.com/" + id, List.of("e"), true, List.of());
  }

  static Webhook stored(Webhook w, Long failingSince) {
    return new Webhook(w.id(), w.portal(), w.url(), w.events(), w.enabled(), w.secrets(), failingSince);
  }

  @Test
  void a410DisablesAtOnceWhateverTheClock() {
    assertThat(lifecycle.afterAttempt(webhook("1"), GONE, now))
        .isEqualTo(new Disable("the endpoint answered 410 Gone", 410, null));
    assertThat(new EndpointLifecycle(Duration.ZERO, 1).afterAttempt(webhook("1"), GONE, now)).isInstanceOf(Disable.class);
  }

  @Test
  void failuresForTheWholePeriodDisableWithTheStreakStart() {
    Webhook w = webhook("1");
    long start = now;
    assertThat(lifecycle.afterAttempt(w, FAILED, now)).isInstanceOf(Keep.class);
    assertThat(lifecycle.afterAttempt(w, TIMED_OUT, now += 5 * DAY - 1)).isNotInstanceOf(Disable.class);

    var step = lifecycle.afterAttempt(w, FAILED, now += 1);

    assertThat(step).isInstanceOf(Disable.class);
    Disable disable = (Disable) step;
    assertThat(disable.failingSince()).isEqualTo(start);
    assertThat(disable.httpStatus()).isEqualTo(500);
    assertThat(disable.reason()).contains("every delivery failed since").contains("PT120H");
    assertThat(lifecycle.failingSince("1")).as("a disabled webhook starts afresh").isNull();
  }

  @Test
  void oneDeliveryInBetweenRestartsTheClock() {
    Webhook w = webhook("1");
    lifecycle.afterAttempt(w, FAILED, now);
    lifecycle.afterAttempt(w, DELIVERED, now += 4 * DAY);
    assertThat(lifecycle.failingSince("1")).isNull();

    lifecycle.afterAttempt(w, FAILED, now += 1);

    assertThat(lifecycle.afterAttempt(w, FAILED, now + 5 * DAY - 1)).isNotInstanceOf(Disable.class);
    assertThat(lifecycle.afterAttempt(w, FAILED, now + 5 * DAY)).isInstanceOf(Disable.class);
  }

  @Test
  void zeroNeverDisablesForFailures() {
    EndpointLifecycle never = new EndpointLifecycle(Duration.ZERO, 10);
    Webhook w = webhook("1");
    never.afterAttempt(w, FAILED, now);
    assertThat(never.afterAttempt(w, FAILED, now + 365 * DAY)).isInstanceOf(Keep.class);
    assertThat(never.tracked()).isZero();
  }

  @Test
  void aLongStreakIsStoredOnceAndADeliveryClearsIt() {
    Webhook w = webhook("1");
    long start = now;
    assertThat(lifecycle.checkpointAfter()).isEqualTo(Duration.ofHours(1));
    lifecycle.afterAttempt(w, FAILED, now);
    assertThat(lifecycle.afterAttempt(w, FAILED, now + HOUR - 1)).isInstanceOf(Keep.class);

    assertThat(lifecycle.afterAttempt(w, FAILED, now + HOUR)).isEqualTo(new RecordFailingSince(start));
    assertThat(lifecycle.afterAttempt(w, FAILED, now + 2 * HOUR)).as("only once").isInstanceOf(Keep.class);
    assertThat(lifecycle.afterAttempt(stored(w, start), FAILED, now + 3 * HOUR)).isInstanceOf(Keep.class);

    assertThat(lifecycle.afterAttempt(stored(w, start), DELIVERED, now + 4 * HOUR)).isInstanceOf(ClearFailingSince.class);
    assertThat(lifecycle.afterAttempt(w, DELIVERED, now + 5 * HOUR)).as("nothing stored").isInstanceOf(Keep.class);
  }

  @Test
  void theStoredStreakSurvivesARestart() {
    Webhook w = stored(webhook("1"), now);
    EndpointLifecycle restarted = new EndpointLifecycle(Duration.ofDays(5), 1_000);

    assertThat(restarted.afterAttempt(w, FAILED, now + 4 * DAY)).isInstanceOf(Keep.class);
    var step = restarted.afterAttempt(w, FAILED, now + 5 * DAY);

    assertThat(step).isInstanceOf(Disable.class);
    assertThat(((Disable) step).failingSince()).isEqualTo(now);
  }

  @Test
  void memoryIsBoundedAndAForgottenStreakComesBackFromTheRecord() {
    EndpointLifecycle small = new EndpointLifecycle(Duration.ofDays(5), 3);
    for (int i = 0; i < 10; i++) {
      small.afterAttempt(webhook("w" + i), FAILED, now);
    }
    assertThat(small.tracked()).isEqualTo(3);

    Webhook remembered = stored(webhook("w0"), now);
    assertThat(small.afterAttempt(remembered, FAILED, now + 5 * DAY)).isInstanceOf(Disable.class);
  }

  @Test
  void enablingAgainOrANewUrlStartsAfresh() {
    Webhook w = webhook("1");
    lifecycle.afterAttempt(w, FAILED, now);
    Webhook disabled = new Webhook("1", "zylker", w.url(), w.events(), false, List.of());
    lifecycle.webhookChanged(w, disabled);
    assertThat(lifecycle.failingSince("1")).as("disabling alone keeps it").isEqualTo(now);

    lifecycle.webhookChanged(disabled, w);
    assertThat(lifecycle.failingSince("1")).isNull();

    lifecycle.afterAttempt(w, FAILED, now);
    lifecycle.webhookChanged(w, new Webhook("1", "zylker", "https://example.com/new", w.events(), true, List.of()));
    assertThat(lifecycle.failingSince("1")).isNull();

    lifecycle.afterAttempt(w, FAILED, now);
    lifecycle.webhookChanged(w, null);
    assertThat(lifecycle.failingSince("1")).as("deleted").isNull();
  }

  @Test
  void aNegativePeriodIsRefused() {
    assertThatThrownBy(() -> new EndpointLifecycle(Duration.ofSeconds(-1), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disable-after");
  }
}
