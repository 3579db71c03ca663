package io.hookline.queryapi.stats.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void anEmptyHistogramHasNoPercentiles() {
    assertThat(new LatencyHistogram().percentile(0.5)).isNull();
  }

  @Test
  void aSingleDurationIsEveryPercentile() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(42);
    h.record(42);

    assertThat(h.percentile(0.5)).isEqualTo(42);
    assertThat(h.percentile(0.99)).isEqualTo(42);
  }

  @Test
  void shortDurationsAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int ms = 1; ms <= 10; ms++) {
      h.record(ms);
    }
    assertThat(h.percentile(0.5)).isEqualTo(5);
    assertThat(h.percentile(0.9)).isEqualTo(9);
    assertThat(h.percentile(1.0)).isEqualTo(10);
  }

  @Test
  void bucketsCoverEveryDurationInOrder() {
    assertThat(LatencyHistogram.bucketOf(-3)).isZero();
    assertThat(LatencyHistogram.bucketOf(0)).isZero();
    for (long ms : new long[] {15, 16, 17, 100, 999, 10_000, 3_599_999}) {
      int bucket = LatencyHistogram.bucketOf(ms);
      assertThat(LatencyHistogram.lowerBound(bucket)).isLessThanOrEqualTo(ms);
      assertThat(LatencyHistogram.lowerBound(bucket + 1)).isGreaterThan(ms);
    }
    assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void percentilesOfSpreadDurationsAreWithinTenPercent() {
    Random random = new Random(7);
    long[] durations = new long[50_000];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < durations.length; i++) {
      // Log-normal around 120 ms, a long tail to several seconds.
      durations[i] = Math.max(1, Math.round(Math.exp(Math.log(120) + random.nextGaussian())));
      h.record(durations[i]);
    }
    Arrays.sort(durations);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      long exact = durations[(int) Math.ceil(q * durations.length) - 1];
      assertThat((double) h.percentile(q)).as("p%s", q * 100).isCloseTo(exact, within(exact * 0.10));
    }
  }

  @Test
  void mergingIsTheSameAsRecordingEverythingInOne() {
    LatencyHistogram fast = new LatencyHistogram();
    LatencyHistogram slow = new LatencyHistogram();
    LatencyHistogram all = new LatencyHistogram();
    for (int i = 0; i < 900; i++) {
      fast.record(20 + i % 30);
      all.record(20 + i % 30);
    }
    for (int i = 0; i < 100; i++) {
      slow.record(2_000 + i * 10);
      all.record(2_000 + i * 10);
    }

    fast.merge(slow);

    assertThat(fast.count()).isEqualTo(1_000);
    assertThat(fast.min()).isEqualTo(20);
    assertThat(fast.max()).isEqualTo(2_990);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      assertThat(fast.percentile(q)).isEqualTo(all.percentile(q));
    }
    assertThat(fast.percentile(0.5)).isBetween(30L, 40L);
    assertThat(fast.percentile(0.95)).isBetween(2_300L, 2_700L);
  }
}
