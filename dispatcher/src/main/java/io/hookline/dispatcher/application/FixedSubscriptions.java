package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.SubscriberIndex;
import io.hookline.dispatcher.domain.Webhook;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A set of webhooks given once and never changed, matched through the same {@link SubscriberIndex}
 * as the webhooks topic's mirror: the start-up warm-up's subscriptions, which no one else sees.
 */
public final class FixedSubscriptions implements Subscriptions {

  private final SubscriberIndex index = new SubscriberIndex();
  private final Map<String, Webhook> byId;

  public FixedSubscriptions(List<Webhook> webhooks) {
    this.byId = webhooks.stream().collect(Collectors.toUnmodifiableMap(Webhook::id, Function.identity()));
    webhooks.forEach(w -> index.changed(w.id(), null, w));
  }

  @Override
  public List<Webhook> subscribersOf(String portal, String event) {
    return index.subscribers(portal, event);
  }

  @Override
  public Optional<Webhook> find(String webhookId) {
    return Optional.ofNullable(byId.get(webhookId));
  }
}
