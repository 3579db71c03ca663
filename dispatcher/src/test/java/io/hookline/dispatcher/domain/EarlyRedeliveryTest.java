package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyRedeliveryTest {

  @Test
  void aRedeliveryDueNowOrInThePastIsNotHeld() {
    assertThat(EarlyRedelivery.holdMillis(10_000, 10_000)).isZero();
    assertThat(EarlyRedelivery.holdMillis(9_000, 10_000)).isZero();
  }

  @Test
  void anEarlyRedeliveryIsHeldUntilItsDueTime() {
    assertThat(EarlyRedelivery.holdMillis(10_500, 10_000)).isEqualTo(500);
  }

  @Test
  void noRedeliveryIsHeldLongerThanTheBound() {
    assertThat(EarlyRedelivery.holdMillis(10_000 + 3_600_000, 10_000)).isEqualTo(EarlyRedelivery.MAX_HOLD.toMillis());
  }
}
