package io.hookline.dispatcher.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which enabled webhooks subscribe to an event name in a portal. Kept up to date one change at a
 * time ({@link #changed}) by whoever follows the webhooks topic; readers on other threads always
 * see either the old or the new subscription of a webhook, never a half-applied one.
 */
public final class SubscriberIndex {

  private record Subscription(String portal, String event) {}

  private final Map<Subscription, Map<String, Webhook>> bySubscription = new ConcurrentHashMap<>();

  /** Applies one change; {@code value} is null when the webhook was deleted. */
  public void changed(String webhookId, Webhook previous, Webhook value) {
    if (value != null && value.enabled()) {
      for (String event : value.events()) {
        bySubscription.computeIfAbsent(new Subscription(value.portal(), event), k -> new ConcurrentHashMap<>())
            .put(webhookId, value);
      }
    }
    if (previous != null) {
      Set<String> still = value != null && value.enabled() && value.portal().equals(previous.portal())
          ? Set.copyOf(value.events()) : Set.of();
      for (String event : previous.events()) {
        if (!still.contains(event)) {
          bySubscription.computeIfPresent(new Subscription(previous.portal(), event), (k, m) -> {
            m.remove(webhookId);
            return m.isEmpty() ? null : m;
          });
        }
      }
    }
  }

  /** Enabled webhooks of {@code portal} whose events include {@code event}. */
  public List<Webhook> subscribers(String portal, String event) {
    Map<String, Webhook> m = bySubscription.get(new Subscription(portal, event));
    return m == null ? List.of() : List.copyOf(m.values());
  }
}
