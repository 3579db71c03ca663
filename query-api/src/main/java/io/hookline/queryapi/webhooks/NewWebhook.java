package io.hookline.queryapi.webhooks;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asked to create, before validation.
 *
 * @param url null when the request has none
 * @param events null when the request has none
 * @param rateLimit deliveries per second; null when the request has none (unlimited)
 * @param headers custom headers sent with every request, as given; empty for none
 */
public record NewWebhook(String url, List<String> events, Optional<String> secret, Optional<Boolean> enabled,
    Integer rateLimit, Map<String, String> headers) {

  public NewWebhook {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(headers, "headers");
  }

  /** A request without a rate limit (unlimited) or custom headers. */
  public NewWebhook(String url, List<String> events, Optional<String> secret, Optional<Boolean> enabled) {
    this(url, events, secret, enabled, null, Map.of());
  }
}
