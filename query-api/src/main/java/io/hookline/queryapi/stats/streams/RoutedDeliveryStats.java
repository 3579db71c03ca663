package io.hookline.queryapi.stats.streams;

import io.hookline.queryapi.stats.DeliveryStats;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.stats.peer.StatsPeer;
import io.hookline.queryapi.view.streams.StoreRouting;
import io.hookline.schemas.HooklineTopics;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The delivery statistics as every caller sees them, whichever instance it asks: a webhook's series
 * and totals are read from the copy of its partition that can answer ({@link StoreRouting}, as for
 * the other views: here, the owner over HTTP, or a caught-up standby), and an overview reads the
 * webhooks this instance holds here and asks each other instance once for all of its webhooks. The
 * statistics share the sub-topology of the other views ({@link StatsTopology}), keyed by webhook id
 * like the attempts topic, so a webhook's statistics live with its failures and attempts.
 */
@Singleton
public class RoutedDeliveryStats implements DeliveryStats {

  private final StoreRouting.Route<String> route;
  private final StatsQueries local;
  private final StatsPeer peer;

  public RoutedDeliveryStats(StoreRouting routing, HooklineTopics topics, StatsQueries local, StatsPeer peer) {
    this.route = routing.route(StatsTopology.MINUTE_STORE, topics.attempts().keySerde().serializer());
    this.local = local;
    this.peer = peer;
  }

  @Override
  public List<StatsBucket> series(String webhookId, long fromMillis, long toMillis, StatsInterval interval) {
    return route.answer(webhookId, stores -> local.series(stores, webhookId, fromMillis, toMillis, interval),
        (host, caller) -> peer.series(host, caller, webhookId, fromMillis, toMillis, interval));
  }

  @Override
  public StatsTotals totals(String webhookId, long fromMillis, long toMillis) {
    return route.answer(webhookId, stores -> local.totals(stores, webhookId, fromMillis, toMillis),
        (host, caller) -> peer.totals(host, caller, webhookId, fromMillis, toMillis));
  }

  @Override
  public Map<String, WebhookSummary> overview(Collection<String> webhookIds, long fromMillis, long toMillis) {
    Map<String, WebhookSummary> answers = route.answerAll(new LinkedHashSet<>(webhookIds),
        (stores, ids) -> local.summaries(stores, ids, fromMillis, toMillis),
        (host, caller, ids) -> peer.overview(host, caller, ids, fromMillis, toMillis));
    Map<String, WebhookSummary> ordered = new LinkedHashMap<>();
    webhookIds.forEach(id -> ordered.put(id, answers.get(id)));
    return ordered;
  }
}
