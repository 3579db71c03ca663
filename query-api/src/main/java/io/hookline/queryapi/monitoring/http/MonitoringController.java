package io.hookline.queryapi.monitoring.http;

import io.hookline.queryapi.monitoring.Probes;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.management.ManagementServer;
import io.hookline.runtime.management.ProbeResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;

/**
 * The query API's monitoring routes, on its HTTP port and without a token like {@code /health}:
 * {@code GET /metrics} (Prometheus text format), {@code GET /health/liveness} and {@code GET
 * /health/readiness} (200 {@code {"status":"UP"}} or 503 {@code "DOWN"} with why; see {@link
 * Probes}). They reveal no tenant data: counts, states and label values from closed sets.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitoringController {

  private static final MediaType PROMETHEUS_TEXT = MediaType.of(ManagementServer.PROMETHEUS_TEXT);

  private final Probes probes;
  private final PrometheusMeterRegistry registry;

  public MonitoringController(Probes probes, HooklineConfiguration shared, @Nullable PrometheusMeterRegistry registry) {
    this.probes = probes;
    this.registry = shared.isMetricsEnabled() ? registry : null;
  }

  @Get(uri = "/metrics", produces = ManagementServer.PROMETHEUS_TEXT)
  @Operation(operationId = "metrics", summary = "Prometheus metrics in the text format; no token needed")
  HttpResponse<String> metrics() {
    if (registry == null) {
      return HttpResponse.<String>status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN_TYPE)
          .body("metrics are off (HOOKLINE_METRICS_ENABLED=false)\n");
    }
    return HttpResponse.ok(registry.scrape()).contentType(PROMETHEUS_TEXT);
  }

  @Get(uri = "/health/liveness", produces = MediaType.APPLICATION_JSON)
  @Operation(operationId = "liveness", summary = "UP (200) unless the service is wedged and needs a restart (503); no token needed")
  HttpResponse<String> liveness() {
    return answer(probes.liveness());
  }

  @Get(uri = "/health/readiness", produces = MediaType.APPLICATION_JSON)
  @Operation(operationId = "readiness", summary = "UP (200) when every route can answer now, else 503; no token needed")
  HttpResponse<String> readiness() {
    return answer(probes.readiness());
  }

  private static HttpResponse<String> answer(ProbeResult result) {
    return HttpResponse.<String>status(result.up() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(result.json());
  }
}
