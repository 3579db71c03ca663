package io.hookline.queryapi.failedexecutions.streams;

import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.failedexecutions.peer.FailedExecutionsPeer;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.streams.RoutedView;
import io.hookline.queryapi.view.streams.StoreRouting;
import io.hookline.schemas.HooklineTopics;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The failed-executions view as every user of {@link FailedExecutionsView} sees it, whichever
 * instance it asks: a {@link RoutedView} over
 * {@link FailedExecutionsTopology#FAILED_EXECUTIONS_STORE}, read by {@link FailedExecutionsQueries}.
 */
@Singleton
public class RoutedFailedExecutionsView implements FailedExecutionsView {

  private final RoutedView<FailedExecutionQuery, FailedExecution> view;
  private final FailedExecutionsQueries local;

  public RoutedFailedExecutionsView(StoreRouting routing, HooklineTopics topics, FailedExecutionsQueries local,
      FailedExecutionsPeer peer) {
    this.view = new RoutedView<>(routing.route(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE,
        topics.deadLetter().keySerde().serializer()), local::page, peer);
    this.local = local;
  }

  @Override
  public Page<FailedExecution> page(FailedExecutionQuery query) {
    return view.page(query);
  }

  @Override
  public Optional<FailedExecution> find(String webhookId, String executionId) {
    return view.find(webhookId, executionId, stores -> local.find(stores, webhookId, executionId));
  }
}
