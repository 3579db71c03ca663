package io.hookline.queryapi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.view.streams.QueryViewsStreams;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.PrometheusText;
import io.hookline.testing.Promtool;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The query API's monitoring routes on its real HTTP port: /metrics (promtool-checked, HTTP server
 * timers labelled by route template, never by a raw path), and probes that say "ready" only when
 * the views answer, without a token while every API route still needs one.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringTest {

  @RegisterExtension static final ApiUnderTest API = ApiUnderTest.perClass();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  @Order(1)
  void readyOnlyWhenTheViewsAnswer() throws Exception {
    String portal = ApiUnderTest.newPortal();
    String id = API.createWebhook(portal);
    String executions = "/api/v2/" + portal + "/webhooks/" + id + "/executions";
    // Readiness and /health first, then the query: a ready instance must answer it (views never go
    // back to starting by themselves), and a query answered 503 must follow a "not ready". /health
    // is what users poll after a start, so it must not say UP any earlier than readiness.
    List<String> seen = new ArrayList<>();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      int health = API.get("/health", null).statusCode();
      int ready = API.get("/health/readiness", null).statusCode();
      int query = API.getAsReader(executions).statusCode();
      seen.add(health + "/" + ready + "/" + query);
      assertThat(ready).as("readiness answers 200 or 503, seen %s", seen).isIn(200, 503);
      if (ready == 200 || health == 200) {
        assertThat(query).as("the query right after a 200 from /health or /health/readiness; seen %s", seen)
            .isEqualTo(200);
      }
      return ready == 200 && health == 200;
    });
    assertThat(API.get("/health/liveness", null).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void metricsNeedNoTokenPassPromtoolAndLabelRoutesByTemplate() throws Exception {
    String portal = ApiUnderTest.newPortal();
    String id = API.createWebhook(portal);
    API.awaitJson("/api/v2/" + portal + "/webhooks/" + id + "/executions", "the executions view answers", j -> true);

    // Paths no route matches, or ids nobody owns, from callers with and without a token.
    String scan = UUID.randomUUID().toString();
    API.get("/no-such-route/" + scan, null);
    API.get("/api/v2/" + portal + "/webhooks/" + scan, null);
    API.getAsReader("/api/v2/" + portal + "/webhooks/" + scan);
    API.getAsReader("/api/v2/" + portal + "/no-such-list/" + scan);

    HttpResponse<String> response = API.get("/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    PrometheusText metrics = new PrometheusText(response.body());
    assertThat(metrics.value("http_server_requests_seconds_count",
        Map.of("uri", "/api/v2/{screenname}/webhooks/{id}/executions", "status", "200"))).isPresent();
    assertThat(response.body()).as("no raw path, id or portal in a label").doesNotContain(id, portal, scan);
    assertThat(metrics.value("hookline_view_state", Map.of("state", "RUNNING"))).hasValue(1.0);
    assertThat(metrics.value("hookline_view_state", Map.of("state", "REBALANCING"))).hasValue(0.0);
    assertThat(metrics.value("hookline_view_standby_lag_records", Map.of("store", "failed-executions"))).isPresent();
    assertThat(metrics.families()).contains("kafka_stream_thread_process_total", "kafka_producer_record_send_total",
        "jvm_memory_used_bytes");
    Promtool.assertValid(response.body());

    // Only the monitoring routes opened up: the API still needs a token.
    assertThat(API.get("/api/v2/" + portal + "/webhooks", null).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(3)
  void neitherReadyNorAliveOnceTheViewsStopped() throws Exception {
    API.server().getApplicationContext().getBean(QueryViewsStreams.class).streams().close(Duration.ofSeconds(30));

    HttpResponse<String> readiness = API.get("/health/readiness", null);
    assertThat(readiness.statusCode()).isEqualTo(503);
    assertThat(readiness.body()).contains("\"status\":\"DOWN\"", "NOT_RUNNING");
    assertThat(API.get("/health/liveness", null).statusCode()).isEqualTo(503);
    HttpResponse<String> health = API.get("/health", null);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).contains("\"views\":{\"status\":\"DOWN\"", "NOT_RUNNING");
  }
}
