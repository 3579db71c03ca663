package io.hookline.queryapi.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.monitoring.Probes;
import io.hookline.queryapi.monitoring.ViewsState;
import io.hookline.queryapi.webhooks.WebhookChange;
import io.hookline.queryapi.webhooks.WebhookRepository;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.runtime.management.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A webhook whose latest stored record cannot be read is shown by /health and by readiness, named
 * with the reason, while the instance stays up and ready: every other webhook works, and that one
 * keeps its previous version.
 */
class WebhooksHealthTest {

  private static final String WHY = "hookline.webhooks-2@17: UNDECODABLE_AVRO: bad fingerprint; its previous version"
      + " stays in force";

  @Test
  void anUnreadableWebhookIsADegradedDetailNotADownComponent() {
    WebhooksHealth health = new WebhooksHealth(repository(Map.of("4711", WHY)));

    ComponentHealth h = health.check();
    assertThat(h.up()).isTrue();
    assertThat(h.details()).isEqualTo(Map.of(ComponentHealth.DEGRADED, Map.of("4711", WHY)));

    ProbeResult ready = new Probes(List.of(health), views()).readiness();
    assertThat(ready.up()).isTrue();
    assertThat(ready.details().get("webhooks").toString()).startsWith("UP, degraded: ").contains("4711", WHY);
  }

  @Test
  void withNothingUnreadableReadinessSaysJustUp() {
    ProbeResult ready = new Probes(List.of(new WebhooksHealth(repository(Map.of()))), views()).readiness();
    assertThat(ready.details()).containsEntry("webhooks", "UP");
  }

  private static ViewsState views() {
    return new ViewsState() {
      @Override
      public ProbeResult answering() {
        return ProbeResult.up(Map.of());
      }

      @Override
      public ProbeResult alive() {
        return ProbeResult.up(Map.of());
      }
    };
  }

  private static WebhookRepository repository(Map<String, String> unreadable) {
    return new WebhookRepository() {
      @Override
      public Optional<Webhook> find(String id) {
        return Optional.empty();
      }

      @Override
      public List<Webhook> findByPortal(String portal) {
        return List.of();
      }

      @Override
      public <T> T change(String id, WebhookChange<T> change) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Map<String, String> unreadable() {
        return unreadable;
      }

      @Override
      public boolean isReady() {
        return true;
      }
    };
  }
}
