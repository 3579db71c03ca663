package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Webhook;
import java.util.List;
import java.util.Optional;

/** The webhooks as they are now (a change takes effect within about a second). */
public interface Subscriptions {

  /** Enabled webhooks of {@code portal} subscribed to {@code event}. */
  List<Webhook> subscribersOf(String portal, String event);

  /** The webhook with this id, enabled or not; empty once deleted. */
  Optional<Webhook> find(String webhookId);
}
