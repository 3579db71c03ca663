package io.hookline.queryapi.stats.streams;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.view.streams.PartitionStores;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * The statistics read from this instance's copy of a partition ({@link StatsReader}), within the
 * statistics retention ({@code HOOKLINE_STATS_RETENTION}) as of now.
 */
@Singleton
public class StatsQueries {

  private final Clock clock;
  private final Duration retention;

  public StatsQueries(Clock clock, QueryApiConfiguration config) {
    this.clock = clock;
    this.retention = config.getStatsRetention();
  }

  public List<StatsBucket> series(PartitionStores stores, String webhookId, long from, long to,
      StatsInterval interval) {
    return reader(stores).series(webhookId, from, to, interval);
  }

  public StatsTotals totals(PartitionStores stores, String webhookId, long from, long to) {
    return reader(stores).totals(webhookId, from, to);
  }

  public Map<String, WebhookSummary> summaries(PartitionStores stores, Collection<String> webhookIds, long from,
      long to) {
    return reader(stores).summaries(webhookIds, from, to);
  }

  private StatsReader reader(PartitionStores stores) {
    return new StatsReader(stores.store(StatsTopology.MINUTE_STORE, QueryableStoreTypes.<String, byte[]>windowStore()),
        stores.store(StatsTopology.HOUR_STORE, QueryableStoreTypes.<String, byte[]>windowStore()),
        clock.millis(), retention.toMillis());
  }
}
