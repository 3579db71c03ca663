package io.hookline.queryapi.webhooks.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A partial update of a webhook: each present field replaces the webhook's value. */
public record WebhookChanges(Optional<String> url, Optional<List<String>> events, Optional<Boolean> enabled,
    Optional<Map<String, String>> headers) {

  public WebhookChanges {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(enabled, "enabled");
    events = events.map(List::copyOf);
    headers = headers.map(Webhook::orderedCopy);
  }

  /** Changes that leave the custom headers as they are. */
  public WebhookChanges(Optional<String> url, Optional<List<String>> events, Optional<Boolean> enabled) {
    this(url, events, enabled, Optional.empty());
  }

  public boolean isEmpty() {
    return url.isEmpty() && events.isEmpty() && enabled.isEmpty() && headers.isEmpty();
  }
}
