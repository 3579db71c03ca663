package io.hookline.retryscheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseLatenessTest {

  private final ReleaseLateness lateness = new ReleaseLateness();

  @Test
  void reportsCountMaxMeanAndPercentiles() {
    for (int ms = 1; ms <= 100; ms++) {
      lateness.record(ms);
    }

    ReleaseLateness.Snapshot s = lateness.snapshot();

    assertThat(s.count()).isEqualTo(100);
    assertThat(s.maxMs()).isEqualTo(100);
    assertThat(s.meanMs()).isEqualTo(50.5);
    assertThat(s.p50Ms()).isEqualTo(50);
    assertThat(s.p90Ms()).isEqualTo(90);
    assertThat(s.p99Ms()).isEqualTo(99);
    assertThat(s.early()).isZero();
  }

  @Test
  void latenessBeyondTheResolvedRangeShowsAsTheMaximum() {
    for (int i = 0; i < 98; i++) {
      lateness.record(5);
    }
    lateness.record(60_000);
    lateness.record(90_000);

    ReleaseLateness.Snapshot s = lateness.snapshot();

    assertThat(s.p50Ms()).isEqualTo(5);
    assertThat(s.p99Ms()).isEqualTo(90_000);
    assertThat(s.maxMs()).isEqualTo(90_000);
  }

  @Test
  void earlyReleasesCountAsOnTimeAndAreReportedApart() {
    lateness.record(-20);
    lateness.record(10);

    ReleaseLateness.Snapshot s = lateness.snapshot();

    assertThat(s.early()).isEqualTo(1);
    assertThat(s.p50Ms()).isZero();
    assertThat(s.maxMs()).isEqualTo(10);
  }

  @Test
  void emptyAndResetSnapshotsAreZero() {
    assertThat(lateness.snapshot().count()).isZero();
    lateness.record(42);
    lateness.reset();

    ReleaseLateness.Snapshot s = lateness.snapshot();
    assertThat(s.count()).isZero();
    assertThat(s.maxMs()).isZero();
    assertThat(s.p99Ms()).isZero();
    assertThat(s.toString()).contains("released=0");
  }
}
