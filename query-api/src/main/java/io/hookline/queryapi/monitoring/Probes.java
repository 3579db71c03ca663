package io.hookline.queryapi.monitoring;

import io.hookline.queryapi.health.ComponentHealth;
import io.hookline.queryapi.health.HealthComponent;
import io.hookline.runtime.management.ProbeResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query API's probes. <b>Readiness</b>: it can answer every route now: every {@link
 * HealthComponent} is up, as {@code /health} reports them: Kafka answers, the webhooks copy is
 * loaded and the views answer ({@link ViewsHealth}), so a load balancer sends no request that would
 * get a 503 while the views start or restore. <b>Liveness</b>: not wedged: the views have not stopped
 * for good. A broker outage makes the instance not ready, never not alive (a restart would not
 * help).
 */
@Singleton
public class Probes {

  private final List<HealthComponent> components;
  private final ViewsState views;

  public Probes(List<HealthComponent> components, ViewsState views) {
    this.components = List.copyOf(components);
    this.views = views;
  }

  public ProbeResult readiness() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean up = true;
    for (HealthComponent c : components) {
      ComponentHealth h = c.check();
      up &= h.up();
      details.put(c.name(), !h.up() ? "DOWN " + h.details()
          : h.details().containsKey(ComponentHealth.DEGRADED) ? "UP, degraded: " + h.details().get(ComponentHealth.DEGRADED)
          : "UP");
    }
    return new ProbeResult(up, details);
  }

  public ProbeResult liveness() {
    return views.alive();
  }
}
