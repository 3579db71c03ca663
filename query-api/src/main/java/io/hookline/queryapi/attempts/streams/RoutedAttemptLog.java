package io.hookline.queryapi.attempts.streams;

import io.hookline.avro.Attempt;
import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.peer.AttemptsPeer;
import io.hookline.queryapi.failedexecutions.streams.RoutedFailedExecutionsView;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.streams.StoreRouting;
import io.hookline.schemas.HooklineTopics;
import jakarta.inject.Singleton;

/**
 * The attempt log as every user of {@link AttemptLog} sees it, whichever query-api instance it
 * asks: like {@link RoutedFailedExecutionsView}, each question goes through {@link StoreRouting} to
 * the copy of the webhook's partition that can answer, and is read there by
 * {@link AttemptLogQueries}. The attempts topic is keyed by webhook id, and the attempt log shares
 * its sub-topology with the failed-executions view ({@link AttemptLogTopology}), so a webhook's
 * attempts live on the same instance as its failures.
 */
@Singleton
public class RoutedAttemptLog implements AttemptLog {

  private final StoreRouting.Route<String> route;
  private final AttemptLogQueries local;
  private final AttemptsPeer peers;

  public RoutedAttemptLog(StoreRouting routing, HooklineTopics topics, AttemptLogQueries local, AttemptsPeer peers) {
    this.route = routing.route(AttemptLogTopology.ATTEMPTS_STORE, topics.attempts().keySerde().serializer());
    this.local = local;
    this.peers = peers;
  }

  @Override
  public Page<Attempt> page(AttemptQuery query) {
    return route.answer(query.webhookId(),
        stores -> local.page(stores, query),
        (peer, caller) -> peers.page(peer, caller, query));
  }
}
