package io.hookline.queryapi.config;

import io.hookline.queryapi.webhooks.WebhookEvents;
import io.hookline.queryapi.webhooks.WebhookRepository;
import io.hookline.queryapi.webhooks.WebhookService;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The {@link WebhookService}, given the one setting it needs (the secret grace) rather than the configuration. */
@Factory
public class WebhookServiceFactory {

  @Singleton
  WebhookService webhookService(WebhookRepository repository, WebhookEvents events, Clock clock,
      QueryApiConfiguration config) {
    return new WebhookService(repository, events, clock, config.getSecretGrace());
  }
}
