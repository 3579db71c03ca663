package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.WebhookPageQuery;
import io.hookline.queryapi.view.peer.PeerView;
import java.util.Optional;

/**
 * A view as every caller sees it, whichever instance it asks: each question goes, through
 * {@link StoreRouting}, to the copy of the webhook's partition that can answer (this instance's,
 * the owner's over HTTP through the view's {@link PeerView}, or a standby's), and is read there by
 * the view's {@link LocalPages}. The view's input topic is keyed by webhook id, so the webhook id
 * decides the partition.
 */
public final class RoutedView<Q extends WebhookPageQuery, V> {

  /** Reads a page from this instance's copy of the webhook's partition. */
  @FunctionalInterface
  public interface LocalPages<Q, V> {
    Page<V> page(PartitionStores stores, Q query);
  }

  private final StoreRouting.Route<String> route;
  private final LocalPages<Q, V> local;
  private final PeerView<Q, V> peer;

  public RoutedView(StoreRouting.Route<String> route, LocalPages<Q, V> local, PeerView<Q, V> peer) {
    this.route = route;
    this.local = local;
    this.peer = peer;
  }

  public Page<V> page(Q query) {
    return route.answer(query.webhookId(), stores -> local.page(stores, query),
        (host, caller) -> peer.page(host, caller, query));
  }

  /** Entry {@code id} of the webhook, read here by {@code lookup} or asked of another instance. */
  public Optional<V> find(String webhookId, String id, StoreRouting.LocalRead<Optional<V>> lookup) {
    return route.answer(webhookId, lookup, (host, caller) -> peer.find(host, caller, webhookId, id));
  }
}
