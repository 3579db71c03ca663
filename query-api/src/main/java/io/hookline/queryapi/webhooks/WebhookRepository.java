package io.hookline.queryapi.webhooks;

import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where webhooks live. Writes are synchronous, serialised and read-your-writes: {@link #change}
 * decides on the latest stored version of the webhook, serialised with every other change of it
 * in every instance (no change is ever computed from a version another change already replaced),
 * and when it returns the change is durable and every following read of this instance sees it. A
 * write that cannot be confirmed throws {@link StoreUnavailableException}.
 */
public interface WebhookRepository {

  Optional<Webhook> find(String id);

  /** The webhooks of one portal, oldest first. */
  List<Webhook> findByPortal(String portal);

  /** Applies {@code change} to the latest version of webhook {@code id} and returns its answer; rethrows its refusal. */
  <T> T change(String id, WebhookChange<T> change);

  /**
   * The webhooks whose latest stored record cannot be read, each with what is wrong with it: they
   * keep their previous version until a readable record replaces it.
   */
  default Map<String, String> unreadable() {
    return Map.of();
  }

  /** Whether reads reflect the stored webhooks (false while loading or after a failure). */
  boolean isReady();
}
