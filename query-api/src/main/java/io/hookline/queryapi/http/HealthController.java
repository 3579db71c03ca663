package io.hookline.queryapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hookline.queryapi.health.ComponentHealth;
import io.hookline.queryapi.health.HealthComponent;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: UP (200) only when every {@link HealthComponent} is up, otherwise DOWN
 * (503), with each component's state, for load balancers and orchestrators. Never requires auth.
 */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HealthController {

  private final List<HealthComponent> components;

  public HealthController(List<HealthComponent> components) {
    this.components = components.stream().sorted(Comparator.comparing(HealthComponent::name)).toList();
  }

  record Component(String status, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> details) {}

  record Report(String status, Map<String, Component> components) {}

  @Get
  @Operation(operationId = "health", summary = "UP (200) or DOWN (503), with each component; no token needed")
  HttpResponse<Report> health() {
    Map<String, Component> report = new LinkedHashMap<>();
    boolean up = true;
    for (HealthComponent c : components) {
      ComponentHealth h = c.check();
      up &= h.up();
      report.put(c.name(), new Component(status(h.up()), h.details()));
    }
    return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(new Report(status(up), report));
  }

  private static String status(boolean up) {
    return up ? "UP" : "DOWN";
  }
}
