package io.hookline.queryapi.health;

import io.hookline.queryapi.webhooks.WebhookRepository;
import jakarta.inject.Singleton;
import java.util.Map;

/** Up while the webhook store answers reads from a complete, live copy of the webhooks topic. */
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
    return repository.isReady() ? ComponentHealth.up(Map.of()) : ComponentHealth.down(Map.of());
  }
}
