package io.hookline.queryapi.replay;

import io.hookline.queryapi.replay.domain.Resend;
import io.hookline.queryapi.view.StoreUnavailableException;
import java.util.List;

/**
 * Where re-sends go: the queue of retry requests that are due now, which the dispatcher consumes.
 * A call returns only once every request is durably queued; if it throws
 * {@link StoreUnavailableException}, any of them may or may not have been queued.
 */
public interface RedeliveryQueue {

  /** Queues {@code resends} in this order (per webhook, the dispatcher keeps it). */
  void queue(List<Resend> resends);
}
