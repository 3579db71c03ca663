package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void atMostTheLimitStartsInOneSecondThenItWaitsForTheNext() {
    RateLimiter limiter = new RateLimiter(5);
    long t = 10_000_250;
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryStart(t + i)).as("start %d", i).isZero();
    }
    assertThat(limiter.tryStart(t + 5)).isEqualTo(10_001_000);
    assertThat(limiter.tryStart(10_000_999)).isEqualTo(10_001_000);
    assertThat(limiter.tryStart(10_001_000)).isZero();
  }

  @Test
  void overManySecondsItAllowsTheLimitPerSecond() {
    RateLimiter limiter = new RateLimiter(3);
    int started = 0;
    for (long t = 0; t < 10_000; t += 7) {
      if (limiter.tryStart(t) == 0) {
        started++;
      }
    }
    assertThat(started).isEqualTo(30);
  }

  @Test
  void itKnowsWhetherTheCurrentSecondWasUsed() {
    RateLimiter limiter = new RateLimiter(1);
    assertThat(limiter.usedAt(5_000)).isFalse();
    limiter.tryStart(5_100);
    assertThat(limiter.usedAt(5_900)).isTrue();
    assertThat(limiter.usedAt(6_000)).isFalse();
  }

  @Test
  void aLimitIsPositive() {
    assertThatThrownBy(() -> new RateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
