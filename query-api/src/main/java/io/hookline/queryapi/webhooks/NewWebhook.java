package io.hookline.queryapi.webhooks;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asked to create, before validation.
 *
 * @param url null when the request has none
 * @param events null when the request has none
 */
public record NewWebhook(String url, List<String> events, Optional<String> secret, Optional<Boolean> enabled) {

  public NewWebhook {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(enabled, "enabled");
  }
}
