package io.hookline.queryapi.webhooks.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A partial update of a webhook: each present field replaces the webhook's value. */
public record WebhookChanges(Optional<String> url, Optional<List<String>> events, Optional<Boolean> enabled,
    Optional<RateLimit> rateLimit, Optional<Map<String, String>> headers, Optional<Ordering> ordering) {

  /** A new rate limit: {@code perSecond} deliveries per second, or null for none (unlimited). */
  public record RateLimit(Integer perSecond) {}

  public WebhookChanges {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(rateLimit, "rateLimit");
    events = events.map(List::copyOf);
    headers = headers.map(Webhook::orderedCopy);
    Objects.requireNonNull(ordering, "ordering");
  }

  /** Changes that leave the ordering as it is. */
  public WebhookChanges(Optional<String> url, Optional<List<String>> events, Optional<Boolean> enabled,
      Optional<RateLimit> rateLimit, Optional<Map<String, String>> headers) {
    this(url, events, enabled, rateLimit, headers, Optional.empty());
  }

  /** Changes that leave the rate limit, the custom headers and the ordering as they are. */
  public WebhookChanges(Optional<String> url, Optional<List<String>> events, Optional<Boolean> enabled) {
    this(url, events, enabled, Optional.empty(), Optional.empty());
  }

  public boolean isEmpty() {
    return url.isEmpty() && events.isEmpty() && enabled.isEmpty() && rateLimit.isEmpty() && headers.isEmpty()
        && ordering.isEmpty();
  }
}
