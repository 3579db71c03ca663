package io.hookline.dispatcher.domain;

import io.hookline.schemas.EventPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which enabled webhooks subscribe to an event name in a portal. Kept up to date one change at a
 * time ({@link #changed}) by whoever follows the webhooks topic; readers on other threads always
 * see either the old or the new subscription of a webhook, never a half-applied one.
 *
 * <p>Exact names are one hash lookup. Wildcard entries ({@link EventPattern}: {@code *},
 * {@code order.*}) are kept by their prefix ({@code ""}, {@code order.}), so an event is matched
 * against them with one more lookup per dot in its name, however many webhooks there are; while no
 * webhook uses a wildcard, no lookup is made at all. A webhook matched by several of its entries is
 * returned once.
 */
public final class SubscriberIndex {

  private record Subscription(String portal, String event) {}

  private final Map<Subscription, Map<String, Webhook>> bySubscription = new ConcurrentHashMap<>();
  /** Wildcard subscriptions, keyed by the prefix an event name must start with. */
  private final Map<Subscription, Map<String, Webhook>> byPrefix = new ConcurrentHashMap<>();

  /** Applies one change; {@code value} is null when the webhook was deleted. */
  public void changed(String webhookId, Webhook previous, Webhook value) {
    if (value != null && value.enabled()) {
      for (String event : value.events()) {
        index(event).computeIfAbsent(key(value.portal(), event), k -> new ConcurrentHashMap<>())
            .put(webhookId, value);
      }
    }
    if (previous != null) {
      Set<String> still = value != null && value.enabled() && value.portal().equals(previous.portal())
          ? Set.copyOf(value.events()) : Set.of();
      for (String event : previous.events()) {
        if (!still.contains(event)) {
          index(event).computeIfPresent(key(previous.portal(), event), (k, m) -> {
            m.remove(webhookId);
            return m.isEmpty() ? null : m;
          });
        }
      }
    }
  }

  /** Enabled webhooks of {@code portal} whose events include {@code event}, or a wildcard matching it. */
  public List<Webhook> subscribers(String portal, String event) {
    Map<String, Webhook> exact = bySubscription.get(new Subscription(portal, event));
    if (byPrefix.isEmpty()) {
      return exact == null ? List.of() : List.copyOf(exact.values());
    }
    Map<String, Webhook> all = exact == null ? new LinkedHashMap<>() : new LinkedHashMap<>(exact);
    addPrefixed(portal, "", all);
    for (int dot = event.indexOf('.'); dot >= 0 && dot < event.length() - 1; dot = event.indexOf('.', dot + 1)) {
      addPrefixed(portal, event.substring(0, dot + 1), all);
    }
    return all.isEmpty() ? List.of() : new ArrayList<>(all.values());
  }

  private void addPrefixed(String portal, String prefix, Map<String, Webhook> into) {
    Map<String, Webhook> m = byPrefix.get(new Subscription(portal, prefix));
    if (m != null) {
      m.forEach(into::putIfAbsent);
    }
  }

  private Map<Subscription, Map<String, Webhook>> index(String event) {
    return EventPattern.isWildcard(event) ? byPrefix : bySubscription;
  }

  private static Subscription key(String portal, String event) {
    return new Subscription(portal, EventPattern.isWildcard(event) ? EventPattern.prefix(event) : event);
  }
}
