package io.hookline.retryscheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingRetriesTest {

  private final PendingRetries<String, String> pending = new PendingRetries<>();

  @Test
  void releasesEachPartitionInReadOrderOnlyAsItsRecordsComeDue() {
    pending.add("p0", "a", 1_000);
    pending.add("p0", "b", 1_000);
    pending.add("p0", "c", 3_000);
    pending.add("p1", "x", 2_000);

    assertThat(pending.takeDue(999)).isEmpty();
    assertThat(pending.takeDue(1_000)).containsExactly(Map.entry("p0", List.of("a", "b")));
    assertThat(pending.size("p0")).isEqualTo(1);
    assertThat(pending.nextDueAt()).hasValue(2_000);
    assertThat(pending.takeDue(5_000)).containsExactly(Map.entry("p1", List.of("x")), Map.entry("p0", List.of("c")));
    assertThat(pending.size()).isZero();
    assertThat(pending.isEmpty("p0")).isTrue();
    assertThat(pending.nextDueAt()).isEmpty();
  }

  @Test
  void aDueRecordBehindOneNotDueWaitsForItToKeepThePartitionsOrder() {
    pending.add("p0", "late", 5_000);
    pending.add("p0", "already-due", 100);

    assertThat(pending.takeDue(1_000)).isEmpty();
    assertThat(pending.takeDue(5_000)).containsExactly(Map.entry("p0", List.of("late", "already-due")));
  }

  @Test
  void aRecordWithoutDueTimeGoesAsSoonAsItIsTheHead() {
    pending.add("p0", "garbage", PendingRetries.DUE_AT_ONCE);
    pending.add("p0", "next", 2_000);

    assertThat(pending.takeDue(0)).containsExactly(Map.entry("p0", List.of("garbage")));
    assertThat(pending.nextDueAt()).hasValue(2_000);
  }

  @Test
  void droppedPartitionsLeaveNeitherRecordsNorTimersBehind() {
    pending.add("p0", "a", 1_000);
    pending.add("p0", "b", 2_000);
    pending.add("p1", "x", 1_500);

    pending.drop(List.of("p0", "never-read"));

    assertThat(pending.partitions()).containsExactly("p1");
    assertThat(pending.size()).isEqualTo(1);
    assertThat(pending.nextDueAt()).hasValue(1_500);
    assertThat(pending.takeDue(Long.MAX_VALUE)).containsExactly(Map.entry("p1", List.of("x")));

    pending.add("p0", "read-again", 1_000);
    assertThat(pending.takeDue(1_000)).containsExactly(Map.entry("p0", List.of("read-again")));
  }
}
