package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.attempts.streams.AttemptLogTopology;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import org.apache.kafka.streams.Topology;

/**
 * The whole topology of the query API's Kafka Streams instance: the failed-executions view
 * ({@link FailedExecutionsTopology}) and the attempt log ({@link AttemptLogTopology}), in one
 * sub-topology so that one task, and so one instance, owns both views of a webhook.
 */
public final class QueryViewsTopology {

  private QueryViewsTopology() {}

  public static Topology build(HooklineTopics topics, Duration retention) {
    return AttemptLogTopology.addTo(FailedExecutionsTopology.build(topics, retention), topics, retention);
  }
}
