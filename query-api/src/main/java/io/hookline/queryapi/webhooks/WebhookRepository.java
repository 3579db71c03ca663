package io.hookline.queryapi.webhooks;

import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.util.List;
import java.util.Optional;

/**
 * Where webhooks live. Writes are synchronous and read-your-writes: when {@link #save} or
 * {@link #delete} returns, the change is durable and every following read of this instance sees
 * it. A write that cannot be confirmed throws {@link StoreUnavailableException}.
 */
public interface WebhookRepository {

  Optional<Webhook> find(String id);

  /** The webhooks of one portal, oldest first. */
  List<Webhook> findByPortal(String portal);

  void save(Webhook webhook);

  void delete(String id);

  /** Whether reads reflect the stored webhooks (false while loading or after a failure). */
  boolean isReady();
}
