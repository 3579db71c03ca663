package io.hookline.queryapi.view.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener.SuspendReason;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** A standby copy answers only once it has caught up since it was assigned, never while it fills. */
class StandbyCopiesTest {

  private static final String STORE = "failed-executions";
  private static final TopicPartition CHANGELOG = new TopicPartition("app-failed-executions-changelog", 2);
  private static final TaskId TASK = new TaskId(0, 2);

  private final StandbyCopies copies = new StandbyCopies();

  @Test
  void aCopyThatHasNotStartedFillingNeverAnswersEvenWhenTheChangelogIsSmall() {
    copies.onUpdateStart(CHANGELOG, STORE, 0);

    assertThat(copies.mayAnswer(STORE, 2, 0, 300)).as("empty copy of a 300-record changelog").isFalse();
    assertThat(copies.mayAnswer(STORE, 2, 0, 1)).as("empty copy of a one-record changelog").isFalse();
  }

  @Test
  void aCopyHalfwayThroughItsFirstLoadDoesNotAnswer() {
    copies.onUpdateStart(CHANGELOG, STORE, 0);
    copies.onBatchLoaded(CHANGELOG, STORE, TASK, 999, 1000, 5000);

    assertThat(copies.mayAnswer(STORE, 2, 1000, 5000)).isFalse();
  }

  @Test
  void aCopyThatCaughtUpAnswersWhileAtMostTenThousandRecordsBehind() {
    copies.onUpdateStart(CHANGELOG, STORE, 0);
    copies.onBatchLoaded(CHANGELOG, STORE, TASK, 4999, 1000, 5001);

    assertThat(copies.mayAnswer(STORE, 2, 5000, 5300)).isTrue();
    assertThat(copies.mayAnswer(STORE, 2, 5000, 5000 + StoreRouting.STANDBY_ACCEPTABLE_LAG + 1)).isFalse();
    assertThat(copies.mayAnswer(STORE, 1, 5000, 5300)).as("another partition").isFalse();
  }

  @Test
  void aSuspendedOrReassignedCopyMustCatchUpAgain() {
    copies.onUpdateStart(CHANGELOG, STORE, 0);
    copies.onBatchLoaded(CHANGELOG, STORE, TASK, 4999, 1000, 5001);
    copies.onUpdateSuspended(CHANGELOG, STORE, 5000, 5001, SuspendReason.MIGRATED);

    assertThat(copies.mayAnswer(STORE, 2, 5000, 5300)).isFalse();

    copies.onUpdateStart(CHANGELOG, STORE, 0);
    assertThat(copies.mayAnswer(STORE, 2, 0, 5300)).isFalse();
  }

  @Test
  void aCopyCompleteButForTheLatestCommitAnswersWithoutHavingLoadedABatch() {
    // A restart whose checkpoint is at the changelog end loads nothing, yet is complete.
    copies.onUpdateStart(CHANGELOG, STORE, 5000);

    assertThat(copies.mayAnswer(STORE, 2, 5000, 5001)).isTrue();
    assertThat(copies.mayAnswer(STORE, 2, 0, 0)).as("an empty changelog").isTrue();
  }
}
