package io.hookline.queryapi.failedexecutions;

import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.failedexecutions.kafka.FailedExecutionRecords;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The failed-executions view over a list, for use cases tested without a broker: pages like the
 * store does (newest last execution first, then execution id; the time range and events filters;
 * offset by page number).
 */
public final class ListedFailures implements FailedExecutionsView {

  private final List<FailedExecution> all = new ArrayList<>();

  /** Adds {@code f}, a dead-letter record as the dispatcher writes it. */
  public ListedFailures add(io.hookline.avro.FailedExecution f) {
    all.add(FailedExecutionRecords.fromAvro(f));
    return this;
  }

  @Override
  public Page<FailedExecution> page(FailedExecutionQuery q) {
    return new Page<>(all.stream()
        .filter(f -> f.webhookId().equals(q.webhookId()))
        .filter(f -> f.lastExecutionTime() >= q.fromTime() && f.lastExecutionTime() <= q.toTime())
        .filter(f -> q.events().isEmpty() || q.events().contains(f.event().name()))
        .sorted(Comparator.comparingLong(FailedExecution::lastExecutionTime).reversed()
            .thenComparing(FailedExecution::executionId))
        .skip(((PageStart.Offset) q.start()).skipped())
        .limit(q.limit())
        .toList(), Optional.empty(), Optional.empty(), OptionalLong.empty());
  }

  @Override
  public Optional<FailedExecution> find(String webhookId, String executionId) {
    return all.stream()
        .filter(f -> f.webhookId().equals(webhookId) && f.executionId().equals(executionId))
        .findFirst();
  }
}
