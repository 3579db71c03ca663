package io.hookline.queryapi.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgChartsTest {

  @Test
  void barsStackFailuresOnDeliveriesScaledToTheBusiestStep() {
    List<StatsBucket> buckets = List.of(bucket(0, 6, 2, null), bucket(3_600_000, 0, 0, null), bucket(7_200_000, 2, 2, 80L));

    SvgCharts.Bars bars = SvgCharts.bars(buckets, 300, 100);

    assertThat(bars.max()).isEqualTo(8);
    assertThat(bars.bars()).hasSize(3);
    SvgCharts.Bar first = bars.bars().get(0);
    assertThat(first.deliveredHeight()).isEqualTo(75.0);
    assertThat(first.failedHeight()).isEqualTo(25.0);
    assertThat(first.failedY() + first.failedHeight()).isEqualTo(first.deliveredY());
    assertThat(bars.bars().get(1).deliveredHeight()).isZero();
    assertThat(bars.summary()).contains("8 delivered and 4 failed");
  }

  @Test
  void linesLeaveOutStepsWithoutAValueAndSparklinesHaveOnePointPerStep() {
    List<StatsBucket> buckets = List.of(bucket(0, 1, 0, 50L), bucket(60_000, 0, 0, null), bucket(120_000, 0, 1, 100L));

    SvgCharts.Lines lines = SvgCharts.latency(buckets, 200, 50);
    SvgCharts.Sparkline spark = SvgCharts.sparkline(buckets, 120, 28);

    assertThat(lines.p95().split(" ")).hasSize(2);
    assertThat(spark.delivered().split(" ")).hasSize(3);
    assertThat(spark.summary()).contains("1 delivered and 1 failed");
    assertThat(SvgCharts.sparkline(List.of(), 120, 28).delivered()).isEmpty();
  }

  private static StatsBucket bucket(long start, long delivered, long failed, Long p95) {
    Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, 0L);
    }
    outcomes.put(Outcome.DELIVERED, delivered);
    outcomes.put(Outcome.HTTP_ERROR, failed);
    return new StatsBucket(start, StatsInterval.HOUR, outcomes, 0, p95 == null ? null : p95 / 2, p95,
        p95 == null ? null : p95 * 2, null, null);
  }
}
