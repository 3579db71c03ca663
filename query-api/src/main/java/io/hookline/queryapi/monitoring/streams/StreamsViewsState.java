package io.hookline.queryapi.monitoring.streams;

import io.hookline.queryapi.attempts.streams.AttemptLogTopology;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
import io.hookline.queryapi.monitoring.ViewsState;
import io.hookline.queryapi.view.streams.QueryViewsStreams;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.management.ProbeResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the query views' Kafka Streams instance, for the probes and as metrics.
 *
 * <p>Answering (readiness): the instance is {@code RUNNING} and every store partition it is active
 * for can be read now; while it starts, rebalances or restores a store, a query would answer 503.
 * Alive (liveness): not {@code ERROR}, {@code PENDING_ERROR} or {@code NOT_RUNNING} (after a fatal
 * error the instance never runs again).
 *
 * <p>Metrics: {@code hookline_view_state{state}} (1 for the current state, 0 for the others), the
 * lag of this instance's standby copies ({@code hookline_view_standby_lag_records{store}}, the most
 * records a standby partition is behind its changelog), and Kafka Streams' own metrics through
 * Micrometer's {@link KafkaStreamsMetrics} binder.
 */
@Singleton
public class StreamsViewsState implements ViewsState, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsViewsState.class);
  /** The stores a query reads. */
  static final List<String> QUERIED_STORES =
      List.of(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, AttemptLogTopology.ATTEMPTS_STORE);

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;

  public StreamsViewsState(QueryViewsStreams views, HooklineConfiguration shared, @Nullable MeterRegistry registry) {
    this.streams = views.streams();
    if (shared.isMetricsEnabled() && registry != null) {
      streamsMetrics = new KafkaStreamsMetrics(streams);
      streamsMetrics.bindTo(registry);
      for (KafkaStreams.State state : KafkaStreams.State.values()) {
        Gauge.builder("hookline.view.state", streams, s -> s.state() == state ? 1 : 0)
            .description("State of the query views' Kafka Streams instance: 1 for the current one")
            .tag("state", state.name())
            .register(registry);
      }
      for (String store : QUERIED_STORES) {
        Gauge.builder("hookline.view.standby.lag", this, s -> s.standbyLag(store))
            .description("Records the most lagging standby copy of a store partition on this instance is behind its changelog")
            .tag("store", store)
            .baseUnit("records")
            .register(registry);
      }
    } else {
      streamsMetrics = null;
    }
  }

  @Override
  public ProbeResult answering() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return ProbeResult.down(Map.of("state", state.name()));
    }
    Set<Integer> active = new HashSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        active.add(task.taskId().partition());
      }
    }
    for (String store : QUERIED_STORES) {
      for (int partition : active) {
        try {
          streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())
              .withPartition(partition)).approximateNumEntries();
        } catch (InvalidStateStoreException e) {
          return ProbeResult.down(Map.of("state", state.name(), "store", store + " partition " + partition + ": "
              + e.getMessage()));
        }
      }
    }
    return ProbeResult.up(Map.of("state", state.name(), "active_partitions", active.size()));
  }

  @Override
  public ProbeResult alive() {
    KafkaStreams.State state = streams.state();
    boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
        || state == KafkaStreams.State.NOT_RUNNING;
    return dead ? ProbeResult.down(Map.of("state", state.name())) : ProbeResult.up(Map.of("state", state.name()));
  }

  /** The largest offset lag of this instance's standby partitions of {@code store}; 0 without standbys. */
  double standbyLag(String store) {
    Set<Integer> standby = new HashSet<>();
    try {
      for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
        for (TaskMetadata task : thread.standbyTasks()) {
          standby.add(task.taskId().partition());
        }
      }
      if (standby.isEmpty()) {
        return 0;
      }
      Map<Integer, LagInfo> lags = streams.allLocalStorePartitionLags().getOrDefault(store, Map.of());
      long max = 0;
      for (int partition : standby) {
        LagInfo lag = lags.get(partition);
        if (lag != null) {
          max = Math.max(max, lag.offsetLag());
        }
      }
      return max;
    } catch (KafkaException | IllegalStateException e) {
      LOG.debug("Standby lag of {} unknown: {}", store, e.getMessage());
      return Double.NaN;
    }
  }

  @Override
  @PreDestroy
  public void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
  }
}
