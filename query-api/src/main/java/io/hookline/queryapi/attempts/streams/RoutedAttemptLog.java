package io.hookline.queryapi.attempts.streams;

import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.attempts.peer.AttemptsPeer;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.streams.RoutedView;
import io.hookline.queryapi.view.streams.StoreRouting;
import io.hookline.schemas.HooklineTopics;
import jakarta.inject.Singleton;

/**
 * The attempt log as every user of {@link AttemptLog} sees it, whichever instance it asks: a
 * {@link RoutedView} over {@link AttemptLogTopology#ATTEMPTS_STORE}, read by
 * {@link AttemptLogQueries}. The attempts topic is keyed by webhook id, and the attempt log shares
 * its sub-topology with the failed-executions view ({@link AttemptLogTopology}), so a webhook's
 * attempts live on the same instance as its failures.
 */
@Singleton
public class RoutedAttemptLog implements AttemptLog {

  private final RoutedView<AttemptQuery, Attempt> view;

  public RoutedAttemptLog(StoreRouting routing, HooklineTopics topics, AttemptLogQueries local, AttemptsPeer peer) {
    this.view = new RoutedView<>(
        routing.route(AttemptLogTopology.ATTEMPTS_STORE, topics.attempts().keySerde().serializer()),
        local::page, peer);
  }

  @Override
  public Page<Attempt> page(AttemptQuery query) {
    return view.page(query);
  }
}
