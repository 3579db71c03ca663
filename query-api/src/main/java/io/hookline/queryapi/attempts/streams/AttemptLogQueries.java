package io.hookline.queryapi.attempts.streams;

import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.attempts.kafka.AttemptRecords;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.streams.KeysetScan;
import io.hookline.queryapi.view.streams.PartitionStores;
import io.hookline.queryapi.view.streams.ViewRetention;
import jakarta.inject.Singleton;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers attempt-log pages from this instance's copy of a webhook's partition of
 * {@link AttemptLogTopology#ATTEMPTS_STORE}: one range scan over the webhook's keys in the time
 * range counts the matches ({@code total}), a second one, in the asked order, reads the page
 * ({@link KeysetScan}: by offset, or after or before a cursor's position) and stops once it is
 * full. Attempts created before the retention are never returned, even before the purge removes
 * them. Which copy answers is decided by {@link RoutedAttemptLog}; a copy that cannot be read now
 * throws, it never answers "no attempts".
 */
@Singleton
public class AttemptLogQueries {

  private final ViewRetention retention;

  public AttemptLogQueries(ViewRetention retention) {
    this.retention = retention;
  }

  /** The page asked for, from {@code stores}, the copy of the webhook's partition on this instance. */
  public Page<Attempt> page(PartitionStores stores, AttemptQuery query) {
    ReadOnlyKeyValueStore<Bytes, io.hookline.avro.Attempt> store =
        stores.bytesKeyValueStore(AttemptLogTopology.ATTEMPTS_STORE);
    return scan(store, query, retention.oldestKept());
  }

  /** The page from {@code store}, leaving out attempts created before {@code oldestKept}. */
  static Page<Attempt> scan(ReadOnlyKeyValueStore<Bytes, io.hookline.avro.Attempt> store, AttemptQuery query,
      long oldestKept) {
    return KeysetScan.ofWebhook(store, query.webhookId(), Math.max(query.fromTime(), oldestKept), query.toTime(),
        query.oldestFirst(), a -> query.matches(AttemptStatus.valueOf(a.getStatus().name()), a.getEvent(),
            a.getExecutionId()))
        .page(query.limit(), query.start(), true)
        .map(AttemptRecords::fromAvro);
  }
}
