package io.hookline.queryapi.application;

import io.hookline.avro.FailedExecution;
import java.util.List;
import java.util.Optional;

/** The failed executions of webhooks, as parked on the dead-letter topic and not yet resolved. */
public interface FailedExecutionsView {

  /**
   * The page asked for, newest last execution first; an empty list only when there is no such
   * failure. Throws {@link StoreUnavailableException} when the view cannot answer now (starting,
   * rebalancing, restoring), never an empty list in that case.
   */
  List<FailedExecution> page(FailedExecutionQuery query);

  /**
   * The unresolved failed execution {@code executionId} of webhook {@code webhookId}; empty when
   * there is none (unknown id, another webhook's execution, resolved, or past the retention).
   * Throws {@link StoreUnavailableException} when the view cannot answer now.
   */
  Optional<FailedExecution> find(String webhookId, String executionId);
}
