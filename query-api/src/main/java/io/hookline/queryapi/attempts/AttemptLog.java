package io.hookline.queryapi.attempts;

import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.StoreUnavailableException;

/** Every delivery attempt of a webhook within the retention, successes included, as written to the attempts topic. */
public interface AttemptLog {

  /**
   * The page asked for, counted ({@link Page#total()} is the number of attempts matching the query,
   * over all pages). Throws {@link StoreUnavailableException} when the log cannot answer now
   * (starting, rebalancing, restoring), never an empty page in that case.
   */
  Page<Attempt> page(AttemptQuery query);
}
