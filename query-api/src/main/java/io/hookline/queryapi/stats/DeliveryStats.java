package io.hookline.queryapi.stats;

import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.view.StoreUnavailableException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Delivery statistics of webhooks, aggregated per minute from every attempt and dead letter and
 * kept for the statistics retention. Answers are the same whichever instance is asked. Both methods
 * throw {@link StoreUnavailableException} when the view cannot answer now (starting, rebalancing,
 * restoring), never empty statistics in that case.
 */
public interface DeliveryStats {

  /**
   * The webhook's buckets from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive), one
   * per {@code interval} step aligned to the interval in UTC, oldest first, empty steps included
   * (with zero counts), so a chart has one point per step.
   */
  List<StatsBucket> series(String webhookId, long fromMillis, long toMillis, StatsInterval interval);

  /**
   * Each webhook's totals from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive); a
   * webhook without attempts in the range has a summary with zero counts. The map has one entry per
   * id given.
   */
  Map<String, WebhookSummary> overview(Collection<String> webhookIds, long fromMillis, long toMillis);

  /**
   * The webhook's statistics over the whole range {@code fromMillis} (inclusive) to
   * {@code toMillis} (exclusive), latency percentiles of all its attempts included. This default
   * adds up the hourly series and so has no percentiles; implementations that keep the latency
   * histograms give them.
   */
  default StatsTotals totals(String webhookId, long fromMillis, long toMillis) {
    Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
    long deadLetters = 0;
    Long lastSuccess = null;
    Long lastFailure = null;
    for (StatsBucket bucket : series(webhookId, fromMillis, toMillis, StatsInterval.HOUR)) {
      bucket.attemptsByOutcome().forEach((outcome, count) -> byOutcome.merge(outcome, count, Long::sum));
      deadLetters += bucket.deadLetters();
      lastSuccess = later(lastSuccess, bucket.lastSuccessAt());
      lastFailure = later(lastFailure, bucket.lastFailureAt());
    }
    return new StatsTotals(byOutcome, deadLetters, null, null, null, lastSuccess, lastFailure);
  }

  private static Long later(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }
}
