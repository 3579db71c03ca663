package io.hookline.queryapi.failedexecutions.streams;

import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.failedexecutions.kafka.FailedExecutionRecords;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.streams.KeysetScan;
import io.hookline.queryapi.view.streams.PartitionStores;
import io.hookline.queryapi.view.streams.ViewRetention;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers failed-execution pages from this instance's copy of a webhook's partition with one range
 * scan over the webhook's keys, newest first, applying the events filter during the scan and
 * stopping once the page is full ({@link KeysetScan}: by offset, or after or before a cursor's
 * position). Failures older than the retention are never returned, even before the purge removes
 * them. Which copy (this instance's active or standby one, or another
 * instance's) answers is decided by {@link RoutedFailedExecutionsView}; a copy that cannot be read
 * now throws, it never answers "no failures".
 */
@Singleton
public class FailedExecutionsQueries {

  private final ViewRetention retention;

  public FailedExecutionsQueries(ViewRetention retention) {
    this.retention = retention;
  }

  /** The page asked for, from {@code stores}, the copy of the webhook's partition on this instance. */
  public Page<FailedExecution> page(PartitionStores stores, FailedExecutionQuery query) {
    ReadOnlyKeyValueStore<Bytes, io.hookline.avro.FailedExecution> store =
        stores.bytesKeyValueStore(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE);
    return scan(store, query, retention.oldestKept());
  }

  /** The page from {@code store}, leaving out failures whose last execution is before {@code oldestKept}. */
  static Page<FailedExecution> scan(ReadOnlyKeyValueStore<Bytes, io.hookline.avro.FailedExecution> store,
      FailedExecutionQuery query, long oldestKept) {
    long oldest = Math.max(query.fromTime(), oldestKept);
    Set<String> events = query.events();
    return KeysetScan.ofWebhook(store, query.webhookId(), oldest, query.toTime(), false,
        (io.hookline.avro.FailedExecution f) -> events.isEmpty() || events.contains(f.getEvent().getEvent()))
        .page(query.limit(), query.start(), false)
        .map(FailedExecutionRecords::fromAvro);
  }

  /**
   * One execution through the execution-id index, from {@code stores}, the copy of the webhook's
   * partition on this instance; both stores belong to the task of that partition, so the copy that
   * answers the webhook's pages answers this too.
   */
  public Optional<FailedExecution> find(PartitionStores stores, String webhookId, String executionId) {
    ReadOnlyKeyValueStore<String, Bytes> keys = stores.store(FailedExecutionsTopology.EXECUTION_KEYS_STORE,
        QueryableStoreTypes.<String, Bytes>keyValueStore());
    ReadOnlyKeyValueStore<Bytes, io.hookline.avro.FailedExecution> failures =
        stores.bytesKeyValueStore(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE);
    return lookup(keys, failures, webhookId, executionId, retention.oldestKept());
  }

  /**
   * The execution through its index entry, if it belongs to {@code webhookId} and is not older than
   * {@code oldestKept}.
   */
  static Optional<FailedExecution> lookup(ReadOnlyKeyValueStore<String, Bytes> keys,
      ReadOnlyKeyValueStore<Bytes, io.hookline.avro.FailedExecution> failures, String webhookId, String executionId,
      long oldestKept) {
    Bytes key = keys.get(executionId);
    return Optional.ofNullable(key == null ? null : failures.get(key))
        .filter(f -> f.getWebhookId().equals(webhookId) && f.getLastExecutionTime() >= oldestKept)
        .map(FailedExecutionRecords::fromAvro);
  }
}
