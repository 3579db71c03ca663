package io.hookline.queryapi.graphql;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.ListedFailures;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The walk over one webhook's failures through {@link FailedExecutionsView#page} only. */
class UndeliveredNotificationsTest {

  @Test
  void readsEveryFailureOnceAcrossPagesEvenWhenMoreThanAPageShareOneMillisecond() {
    ListedFailures all = new ListedFailures();
    int n = 0;
    // 1 200 at one time (more than two scan pages), then 700 spread out, some at equal times.
    for (int i = 0; i < 1_200; i++) {
      all.add(failed("p", "w", String.format("same-%04d", n++), 5_000_000L));
    }
    for (int i = 0; i < 700; i++) {
      all.add(failed("p", "w", String.format("spread-%04d", n++), 4_000_000L - (i / 3) * 10L));
    }
    all.add(failed("p", "other-webhook", "x", 5_000_000L));

    List<FailedExecution> read = UndeliveredNotifications.allOf(all, "w", 0, Set.of());

    assertThat(read).hasSize(1_900);
    assertThat(read.stream().map(FailedExecution::executionId)).doesNotHaveDuplicates();
    assertThat(read).isSortedAccordingTo(Comparator.comparingLong(FailedExecution::lastExecutionTime).reversed());
    assertThat(UndeliveredNotifications.allOf(all, "w", 3_999_000L, Set.of()))
        .as("only those last executed at or after 'from' (101 spread times, 3 each)").hasSize(1_200 + 303);
  }
}
