package io.hookline.queryapi.adapter.out.streams;

import io.hookline.queryapi.health.ComponentHealth;
import io.hookline.queryapi.health.HealthComponent;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Up while the failed-executions view's Kafka Streams instance is running or rebalancing (a
 * rebalance ends by itself; queries answer 503 meanwhile); down when it has stopped or failed.
 */
@Singleton
public class FailedExecutionsHealth implements HealthComponent {

  private final KafkaStreams streams;

  public FailedExecutionsHealth(FailedExecutionsStreams streams) {
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
