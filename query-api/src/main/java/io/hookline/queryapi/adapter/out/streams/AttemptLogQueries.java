package io.hookline.queryapi.adapter.out.streams;

import io.hookline.avro.Attempt;
import io.hookline.queryapi.application.AttemptLog;
import io.hookline.queryapi.application.AttemptQuery;
import io.hookline.queryapi.application.Page;
import io.hookline.queryapi.application.StoreUnavailableException;
import io.hookline.queryapi.config.QueryApiConfig;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers attempt-log pages from this instance's {@link AttemptLogTopology#ATTEMPTS_STORE}: one range
 * scan over the webhook's keys in the time range counts the matches ({@code total}), a second one,
 * in the asked order, reads the page ({@link KeysetScan}: by offset, or after or before a cursor's
 * position) and stops once it is full. Attempts created before the retention are never returned,
 * even before the purge removes them. Only RUNNING answers; otherwise {@link StoreUnavailableException}
 * (503).
 *
 * <p>Reads the local store: the attempt log lives in the same task as the failed-executions view,
 * so a webhook's owner for one is its owner for the other.
 */
@Singleton
public class AttemptLogQueries implements AttemptLog {

  private final KafkaStreams streams;
  private final Clock clock;
  private final Duration retention;

  public AttemptLogQueries(FailedExecutionsStreams streams, Clock clock, QueryApiConfig config) {
    this.streams = streams.streams();
    this.clock = clock;
    this.retention = config.getFailedRetention();
  }

  @Override
  public Page<Attempt> page(AttemptQuery query) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new StoreUnavailableException("The attempt log is not ready (" + streams.state()
          + "); try again shortly", null);
    }
    try {
      ReadOnlyKeyValueStore<Bytes, Attempt> store = streams.store(StoreQueryParameters.fromNameAndType(
          AttemptLogTopology.ATTEMPTS_STORE, QueryableStoreTypes.<Bytes, Attempt>keyValueStore()));
      return scan(store, query, clock.millis() - retention.toMillis());
    } catch (InvalidStateStoreException e) {
      throw new StoreUnavailableException("The attempt log is not ready (" + e.getMessage()
          + "); try again shortly", e);
    }
  }

  /** The page from {@code store}, leaving out attempts created before {@code oldestKept}. */
  static Page<Attempt> scan(ReadOnlyKeyValueStore<Bytes, Attempt> store, AttemptQuery query, long oldestKept) {
    return new KeysetScan<>(store,
        AttemptKeys.lowerBound(query.webhookId(), query.toTime()),
        AttemptKeys.upperBound(query.webhookId(), Math.max(query.fromTime(), oldestKept)),
        AttemptKeys.webhookPrefixLength(query.webhookId()),
        !query.oldestFirst(),
        query::matches)
        .page(query.limit(), query.start(), true);
  }
}
