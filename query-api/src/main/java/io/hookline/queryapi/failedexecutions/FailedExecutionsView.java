package io.hookline.queryapi.failedexecutions;

import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.StoreUnavailableException;
import java.util.Optional;

/** The failed executions of webhooks, as parked on the dead-letter topic and not yet resolved. */
public interface FailedExecutionsView {

  /**
   * The page asked for, newest last execution first, with where the next and previous pages start;
   * no items only when there is no such failure. Throws {@link StoreUnavailableException} when the
   * view cannot answer now (starting, rebalancing, restoring), never an empty page in that case.
   */
  Page<FailedExecution> page(FailedExecutionQuery query);

  /**
   * The unresolved failed execution {@code executionId} of webhook {@code webhookId}; empty when
   * there is none (unknown id, another webhook's execution, resolved, or past the retention).
   * Throws {@link StoreUnavailableException} when the view cannot answer now.
   */
  Optional<FailedExecution> find(String webhookId, String executionId);
}
