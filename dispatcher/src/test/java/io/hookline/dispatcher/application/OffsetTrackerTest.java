package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void nothingToCommitBeforeARecordIsTracked() {
    OffsetTracker t = new OffsetTracker();
    assertThat(t.safePosition()).isEqualTo(-1);
    assertThat(t.advance()).isEmpty();
  }

  @Test
  void commitsOnlyUpToTheFirstRecordStillInProgress() {
    OffsetTracker t = new OffsetTracker();
    for (long o = 10; o <= 14; o++) {
      t.track(o);
    }
    assertThat(t.advance()).isEqualTo(OptionalLong.of(10));

    t.complete(11);
    t.complete(13);
    assertThat(t.safePosition()).isEqualTo(10);
    assertThat(t.advance()).isEmpty();

    t.complete(10);
    assertThat(t.advance()).isEqualTo(OptionalLong.of(12));

    t.complete(14);
    t.complete(12);
    assertThat(t.advance()).isEqualTo(OptionalLong.of(15));
    assertThat(t.inProgress()).isZero();
  }

  @Test
  void gapsInOffsetsDoNotHoldTheCommit() {
    OffsetTracker t = new OffsetTracker();
    t.track(3);
    t.track(7);
    t.complete(3);
    assertThat(t.safePosition()).isEqualTo(7);
    t.complete(7);
    assertThat(t.safePosition()).isEqualTo(8);
  }

  @Test
  void aFailedCommitIsOfferedAgain() {
    OffsetTracker t = new OffsetTracker();
    t.track(0);
    t.complete(0);
    assertThat(t.advance()).isEqualTo(OptionalLong.of(1));
    assertThat(t.advance()).isEmpty();
    t.commitFailed(1);
    assertThat(t.advance()).isEqualTo(OptionalLong.of(1));
  }
}
