package io.hookline.queryapi.failedexecutions.streams;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.peer.FailedExecutionsPeer;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.streams.StoreRouting;
import io.hookline.schemas.HooklineTopics;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The failed-executions view as every user of {@link FailedExecutionsView} sees it, whichever
 * query-api instance it asks: each question goes, through {@link StoreRouting}, to the copy of the
 * webhook's partition that can answer (this instance's, the owner's over HTTP, or a standby's), and
 * is read there by {@link FailedExecutionsQueries}. The dead-letter topic is keyed by webhook id,
 * so the webhook id decides the partition.
 */
@Singleton
public class RoutedFailedExecutionsView implements FailedExecutionsView {

  private final StoreRouting.Route<String> route;
  private final FailedExecutionsQueries local;
  private final FailedExecutionsPeer peers;

  public RoutedFailedExecutionsView(StoreRouting routing, HooklineTopics topics, FailedExecutionsQueries local,
      FailedExecutionsPeer peers) {
    this.route = routing.route(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE,
        topics.deadLetter().keySerde().serializer());
    this.local = local;
    this.peers = peers;
  }

  @Override
  public Page<FailedExecution> page(FailedExecutionQuery query) {
    return route.answer(query.webhookId(),
        stores -> local.page(stores, query),
        (peer, caller) -> peers.page(peer, caller, query));
  }

  @Override
  public Optional<FailedExecution> find(String webhookId, String executionId) {
    return route.answer(webhookId,
        stores -> local.find(stores, webhookId, executionId),
        (peer, caller) -> peers.find(peer, caller, webhookId, executionId));
  }
}
