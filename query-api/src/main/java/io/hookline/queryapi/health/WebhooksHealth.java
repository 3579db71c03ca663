package io.hookline.queryapi.health;

import io.hookline.queryapi.webhooks.WebhookRepository;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Up while the webhook store answers reads from a complete, live copy of the webhooks topic. A
 * webhook whose latest stored record cannot be read is named under {@link ComponentHealth#DEGRADED}
 * with the reason, but the component stays up: that webhook keeps its previous version, every other
 * webhook works, and taking the instance out of service would help none of them.
 */
@Singleton
public class WebhooksHealth implements HealthComponent {

  private final WebhookRepository repository;

  public WebhooksHealth(WebhookRepository repository) {
    this.repository = repository;
  }

  @Override
  public String name() {
    return "webhooks";
  }

  @Override
  public ComponentHealth check() {
    Map<String, String> unreadable = repository.unreadable();
    Map<String, Object> details = unreadable.isEmpty() ? Map.of() : Map.of(ComponentHealth.DEGRADED, unreadable);
    return repository.isReady() ? ComponentHealth.up(details) : ComponentHealth.down(details);
  }
}
