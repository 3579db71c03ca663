package io.hookline.queryapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.health.ComponentHealth;
import io.hookline.queryapi.health.HealthComponent;
import io.hookline.queryapi.health.KafkaHealth;
import io.hookline.queryapi.monitoring.Probes;
import io.hookline.queryapi.monitoring.ViewsHealth;
import io.hookline.queryapi.monitoring.ViewsState;
import io.hookline.runtime.management.ProbeResult;
import io.micronaut.http.HttpResponse;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * /health reports DOWN with 503 when Kafka does not answer or any component is down, the views
 * included while they cannot answer yet, as the readiness probe does.
 */
class HealthTest {

  @Test
  void kafkaIsDownWhenNoBrokerAnswers() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (Admin admin = Admin.create(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort,
        CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
      long start = System.nanoTime();
      ComponentHealth health = new KafkaHealth(admin).check();
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(health.up()).isFalse();
      assertThat(health.details()).containsKey("error");
      assertThat(tookMs).as("a health check must answer quickly").isLessThan(5_000);
    }
  }

  @Test
  void anyComponentDownMakesTheServiceDownWith503() {
    HealthController controller = new HealthController(List.of(
        component("webhooks", ComponentHealth.up(Map.of())),
        component("kafka", ComponentHealth.down(Map.of("error", "no answer")))));

    HttpResponse<HealthController.Report> response = controller.health();

    assertThat(response.code()).isEqualTo(503);
    HealthController.Report report = response.body();
    assertThat(report.status()).isEqualTo("DOWN");
    assertThat(report.components()).containsOnlyKeys("kafka", "webhooks");
    assertThat(report.components().get("kafka").status()).isEqualTo("DOWN");
    assertThat(report.components().get("kafka").details()).containsEntry("error", "no answer");
    assertThat(report.components().get("webhooks").status()).isEqualTo("UP");
  }

  @Test
  void viewsThatCannotAnswerYetMakeTheServiceDownWithTheirState() {
    ViewsState restoring = new ViewsState() {
      @Override
      public ProbeResult answering() {
        return ProbeResult.down(Map.of("state", "REBALANCING"));
      }

      @Override
      public ProbeResult alive() {
        return ProbeResult.up(Map.of("state", "REBALANCING"));
      }
    };
    List<HealthComponent> components = List.of(component("kafka", ComponentHealth.up(Map.of())),
        new ViewsHealth(restoring));

    HttpResponse<HealthController.Report> response = new HealthController(components).health();

    assertThat(response.code()).as("/health while the views start").isEqualTo(503);
    assertThat(response.body().components().get("views").status()).isEqualTo("DOWN");
    assertThat(response.body().components().get("views").details()).containsEntry("state", "REBALANCING");
    Probes probes = new Probes(components, restoring);
    assertThat(probes.readiness().up()).as("readiness agrees with /health").isFalse();
    assertThat(probes.liveness().up()).as("alive while restoring").isTrue();
  }

  private static HealthComponent component(String name, ComponentHealth health) {
    return new HealthComponent() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ComponentHealth check() {
        return health;
      }
    };
  }
}
