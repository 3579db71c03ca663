package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.health.ComponentHealth;
import io.hookline.queryapi.health.HealthComponent;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Up while the Kafka Streams instance of the query views ({@link QueryViewsStreams}) is running or rebalancing (a
 * rebalance ends by itself; queries answer 503 meanwhile); down when it has stopped or failed.
 */
@Singleton
public class QueryViewsHealth implements HealthComponent {

  private final KafkaStreams streams;

  public QueryViewsHealth(QueryViewsStreams streams) {
    this.streams = streams.streams();
  }

  @Override
  public String name() {
    return "failed-executions";
  }

  @Override
  public ComponentHealth check() {
    KafkaStreams.State state = streams.state();
    Map<String, Object> details = Map.of("state", state.name());
    return state.isRunningOrRebalancing() ? ComponentHealth.up(details) : ComponentHealth.down(details);
  }
}
