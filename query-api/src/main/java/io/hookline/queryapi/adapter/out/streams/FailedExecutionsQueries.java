package io.hookline.queryapi.adapter.out.streams;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.application.FailedExecutionQuery;
import io.hookline.queryapi.application.FailedExecutionsView;
import io.hookline.queryapi.application.StoreUnavailableException;
import io.hookline.queryapi.config.QueryApiConfig;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers failed-execution pages from this instance's store with one range scan over the webhook's
 * keys, newest first, applying the events filter during the scan and stopping once the page is
 * full. Failures older than the retention are never returned, even before the purge removes them.
 * Only RUNNING answers: while Kafka Streams starts, rebalances or restores, a query fails with
 * {@link StoreUnavailableException} (503), so "no failures" is never a guess.
 *
 * <p>Single instance: it reads the local store only. With several instances, a webhook whose
 * partition is owned elsewhere must be forwarded to its owner (not done yet).
 */
@Singleton
public class FailedExecutionsQueries implements FailedExecutionsView {

  private final KafkaStreams streams;
  private final Clock clock;
  private final Duration retention;

  public FailedExecutionsQueries(FailedExecutionsStreams streams, Clock clock, QueryApiConfig config) {
    this.streams = streams.streams();
    this.clock = clock;
    this.retention = config.getFailedRetention();
  }

  @Override
  public List<FailedExecution> page(FailedExecutionQuery query) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new StoreUnavailableException("The failed-executions view is not ready (" + streams.state()
          + "); try again shortly", null);
    }
    try {
      ReadOnlyKeyValueStore<Bytes, FailedExecution> store = streams.store(StoreQueryParameters.fromNameAndType(
          FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, QueryableStoreTypes.<Bytes, FailedExecution>keyValueStore()));
      return scan(store, query, clock.millis() - retention.toMillis());
    } catch (InvalidStateStoreException e) {
      throw new StoreUnavailableException("The failed-executions view is not ready (" + e.getMessage()
          + "); try again shortly", e);
    }
  }

  /** The page from {@code store}, leaving out failures whose last execution is before {@code oldestKept}. */
  static List<FailedExecution> scan(ReadOnlyKeyValueStore<Bytes, FailedExecution> store, FailedExecutionQuery query,
      long oldestKept) {
    long oldest = Math.max(query.fromTime(), oldestKept);
    List<FailedExecution> page = new ArrayList<>(query.limit());
    if (oldest > query.toTime()) {
      return page;
    }
    long toSkip = query.skipped();
    try (KeyValueIterator<Bytes, FailedExecution> range = store.range(
        FailedExecutionKeys.lowerBound(query.webhookId(), query.toTime()),
        FailedExecutionKeys.upperBound(query.webhookId(), oldest))) {
      while (range.hasNext() && page.size() < query.limit()) {
        KeyValue<Bytes, FailedExecution> entry = range.next();
        if (!query.events().isEmpty() && !query.events().contains(entry.value.getEvent().getEvent())) {
          continue;
        }
        if (toSkip > 0) {
          toSkip--;
        } else {
          page.add(entry.value);
        }
      }
    }
    return page;
  }

  /**
   * One execution through the execution-id index; both stores belong to the task of the webhook's
   * partition, so the instance that answers the webhook's pages answers this too.
   */
  @Override
  public Optional<FailedExecution> find(String webhookId, String executionId) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new StoreUnavailableException("The failed-executions view is not ready (" + streams.state()
          + "); try again shortly", null);
    }
    try {
      ReadOnlyKeyValueStore<String, Bytes> keys = streams.store(StoreQueryParameters.fromNameAndType(
          FailedExecutionsTopology.EXECUTION_KEYS_STORE, QueryableStoreTypes.<String, Bytes>keyValueStore()));
      ReadOnlyKeyValueStore<Bytes, FailedExecution> failures = streams.store(StoreQueryParameters.fromNameAndType(
          FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, QueryableStoreTypes.<Bytes, FailedExecution>keyValueStore()));
      return lookup(keys, failures, webhookId, executionId, clock.millis() - retention.toMillis());
    } catch (InvalidStateStoreException e) {
      throw new StoreUnavailableException("The failed-executions view is not ready (" + e.getMessage()
          + "); try again shortly", e);
    }
  }

  /** The execution through its index entry, if it belongs to {@code webhookId} and is not older than {@code oldestKept}. */
  static Optional<FailedExecution> lookup(ReadOnlyKeyValueStore<String, Bytes> keys,
      ReadOnlyKeyValueStore<Bytes, FailedExecution> failures, String webhookId, String executionId, long oldestKept) {
    Bytes key = keys.get(executionId);
    return Optional.ofNullable(key == null ? null : failures.get(key))
        .filter(f -> f.getWebhookId().equals(webhookId) && f.getLastExecutionTime() >= oldestKept);
  }
}
