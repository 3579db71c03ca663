package io.hookline.queryapi.application;

import io.hookline.avro.FailedExecution;
import java.util.List;

/** The failed executions of webhooks, as parked on the dead-letter topic and not yet resolved. */
public interface FailedExecutionsView {

  /**
   * The page asked for, newest last execution first; an empty list only when there is no such
   * failure. Throws {@link StoreUnavailableException} when the view cannot answer now (starting,
   * rebalancing, restoring), never an empty list in that case.
   */
  List<FailedExecution> page(FailedExecutionQuery query);
}
