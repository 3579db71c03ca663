package io.hookline.queryapi.graphql;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The walk over one webhook's failures through {@link FailedExecutionsView#page} only. */
class UndeliveredNotificationsTest {

  /** Pages like the store does: newest last execution first, then execution id; offset by page number. */
  private record ListView(List<FailedExecution> all) implements FailedExecutionsView {
    @Override
    public Page<FailedExecution> page(FailedExecutionQuery q) {
      return new Page<>(all.stream()
          .filter(f -> f.getWebhookId().equals(q.webhookId()))
          .filter(f -> f.getLastExecutionTime() >= q.fromTime() && f.getLastExecutionTime() <= q.toTime())
          .filter(f -> q.events().isEmpty() || q.events().contains(f.getEvent().getEvent()))
          .sorted(Comparator.comparingLong(FailedExecution::getLastExecutionTime).reversed()
              .thenComparing(FailedExecution::getExecutionId))
          .skip(((PageStart.Offset) q.start()).skipped())
          .limit(q.limit())
          .toList(), Optional.empty(), Optional.empty(), OptionalLong.empty());
    }

    @Override
    public Optional<FailedExecution> find(String webhookId, String executionId) {
      return all.stream()
          .filter(f -> f.getWebhookId().equals(webhookId) && f.getExecutionId().equals(executionId))
          .findFirst();
    }
  }

  @Test
  void readsEveryFailureOnceAcrossPagesEvenWhenMoreThanAPageShareOneMillisecond() {
    List<FailedExecution> all = new ArrayList<>();
    int n = 0;
    // 1 200 at one time (more than two scan pages), then 700 spread out, some at equal times.
    for (int i = 0; i < 1_200; i++) {
      all.add(failed("p", "w", String.format("same-%04d", n++), 5_000_000L));
    }
    for (int i = 0; i < 700; i++) {
      all.add(failed("p", "w", String.format("spread-%04d", n++), 4_000_000L - (i / 3) * 10L));
    }
    all.add(failed("p", "other-webhook", "x", 5_000_000L));

    List<FailedExecution> read = UndeliveredNotifications.allOf(new ListView(all), "w", 0, Set.of());

    assertThat(read).hasSize(1_900);
    assertThat(read.stream().map(FailedExecution::getExecutionId)).doesNotHaveDuplicates();
    assertThat(read).isSortedAccordingTo(Comparator.comparingLong(FailedExecution::getLastExecutionTime).reversed());
    assertThat(UndeliveredNotifications.allOf(new ListView(all), "w", 3_999_000L, Set.of()))
        .as("only those last executed at or after 'from' (101 spread times, 3 each)").hasSize(1_200 + 303);
  }
}
