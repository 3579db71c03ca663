package io.hookline.retryscheduler.application;

/**
 * Told of every record released, as it is released, with how late it was: for a lateness
 * histogram kept elsewhere (a Micrometer timer). {@link SchedulerMetrics} keeps the totals.
 * Called on the scheduler's loop thread: must be cheap and never block.
 */
@FunctionalInterface
public interface ReleaseListener {

  void released(long latenessMs);

  ReleaseListener NONE = latenessMs -> {};
}
