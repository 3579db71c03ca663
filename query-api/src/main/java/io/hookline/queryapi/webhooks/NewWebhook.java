package io.hookline.queryapi.webhooks;

import io.hookline.queryapi.webhooks.domain.Ordering;
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
 * @param ordering how its executions are ordered; {@link Ordering#NONE} when the request has none
 */
public record NewWebhook(String url, List<String> events, Optional<String> secret, Optional<Boolean> enabled,
    Integer rateLimit, Map<String, String> headers, Ordering ordering) {

  public NewWebhook {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(ordering, "ordering");
  }

  /** An unordered request. */
  public NewWebhook(String url, List<String> events, Optional<String> secret, Optional<Boolean> enabled,
      Integer rateLimit, Map<String, String> headers) {
    this(url, events, secret, enabled, rateLimit, headers, Ordering.NONE);
  }

  /** A request without a rate limit (unlimited) or custom headers. */
  public NewWebhook(String url, List<String> events, Optional<String> secret, Optional<Boolean> enabled) {
    this(url, events, secret, enabled, null, Map.of());
  }
}
