package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.attempts.streams.AttemptLogTopology;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
import io.hookline.queryapi.stats.streams.StatsTopology;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import org.apache.kafka.streams.Topology;

/**
 * The whole topology of the query API's Kafka Streams instance: the failed-executions view
 * ({@link FailedExecutionsTopology}), the attempt log ({@link AttemptLogTopology}) and the delivery
 * statistics fed by both ({@link StatsTopology}), in one sub-topology so that one task, and so one
 * instance, owns every view of a webhook.
 */
public final class QueryViewsTopology {

  private QueryViewsTopology() {}

  /**
   * The topology for this catalogue: failures and attempts kept for {@code retention}, delivery
   * statistics for {@code statsRetention}.
   */
  public static Topology build(HooklineTopics topics, Duration retention, Duration statsRetention) {
    Topology views = AttemptLogTopology.addTo(FailedExecutionsTopology.build(topics, retention), topics, retention);
    return StatsTopology.addTo(views, AttemptLogTopology.INDEXER, FailedExecutionsTopology.INDEXER, statsRetention);
  }
}
