package io.hookline.retryscheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DueTimeGateTest {

  private final DueTimeGate<String> gate = new DueTimeGate<>();

  @Test
  void releasesPartitionsInDueTimeOrderOnlyOnceTheyAreDue() {
    gate.hold("retry.60s-2", 3_000);
    gate.hold("retry.60s-0", 1_000);
    gate.hold("retry.5m-1", 2_000);

    assertThat(gate.releaseDue(999)).isEmpty();
    assertThat(gate.releaseDue(2_000)).containsExactly("retry.60s-0", "retry.5m-1");
    assertThat(gate.isHeld("retry.60s-0")).isFalse();
    assertThat(gate.held()).containsExactly("retry.60s-2");
    assertThat(gate.releaseDue(2_500)).isEmpty();
    assertThat(gate.releaseDue(10_000)).containsExactly("retry.60s-2");
    assertThat(gate.size()).isZero();
  }

  @Test
  void partitionsDueAtTheSameMomentAreReleasedInTheOrderTheyWereHeld() {
    gate.hold("b", 500);
    gate.hold("a", 500);
    gate.hold("c", 500);

    assertThat(gate.releaseDue(500)).containsExactly("b", "a", "c");
  }

  @Test
  void nextWakeUpIsTheEarliestDueTimeAndEmptyWhenNothingIsHeld() {
    assertThat(gate.nextWakeUp()).isEmpty();
    gate.hold("p0", 5_000);
    gate.hold("p1", 4_000);
    assertThat(gate.nextWakeUp()).hasValue(4_000);

    gate.releaseDue(4_000);
    assertThat(gate.nextWakeUp()).hasValue(5_000);
    gate.releaseDue(5_000);
    assertThat(gate.nextWakeUp()).isEmpty();
  }

  @Test
  void holdingAPartitionAgainReplacesItsDueTime() {
    gate.hold("p0", 1_000);
    gate.hold("p0", 9_000);

    assertThat(gate.size()).isEqualTo(1);
    assertThat(gate.dueAt("p0")).hasValue(9_000);
    assertThat(gate.nextWakeUp()).hasValue(9_000);
    assertThat(gate.releaseDue(1_000)).isEmpty();
    assertThat(gate.releaseDue(9_000)).containsExactly("p0");
  }

  @Test
  void revokedPartitionsLeaveNoTimerBehind() {
    gate.hold("p0", 1_000);
    gate.hold("p1", 2_000);
    gate.hold("p2", 3_000);

    gate.remove(List.of("p0", "p2", "never-held"));

    assertThat(gate.held()).containsExactly("p1");
    assertThat(gate.nextWakeUp()).hasValue(2_000);
    assertThat(gate.dueAt("p0")).isEmpty();
    assertThat(gate.releaseDue(Long.MAX_VALUE)).containsExactly("p1");
  }

  @Test
  void aPartitionRemovedAndHeldAgainWaitsForItsNewDueTimeOnly() {
    gate.hold("p0", 1_000);
    gate.remove(List.of("p0"));
    gate.hold("p0", 7_000);

    assertThat(gate.releaseDue(6_999)).isEmpty();
    assertThat(gate.releaseDue(7_000)).containsExactly("p0");
    assertThat(gate.releaseDue(Long.MAX_VALUE)).isEmpty();
  }
}
