package io.hookline.queryapi.monitoring;

import io.hookline.runtime.management.ProbeResult;

/** Whether the query views (the Kafka Streams stores behind /executions and /attempts) can answer now. */
public interface ViewsState {

  /** Up when a query for any webhook would be answered now, not with 503. */
  ProbeResult answering();

  /** Down when the views stopped for good (a fatal Kafka Streams error): only a restart brings them back. */
  ProbeResult alive();
}
