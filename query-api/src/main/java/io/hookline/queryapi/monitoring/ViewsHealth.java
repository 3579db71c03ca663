package io.hookline.queryapi.monitoring;

import io.hookline.queryapi.health.ComponentHealth;
import io.hookline.queryapi.health.HealthComponent;
import io.hookline.runtime.management.ProbeResult;
import jakarta.inject.Singleton;

/**
 * The query views as a part of {@code /health} and of the readiness probe: up only while they
 * answer ({@link ViewsState#answering()}), so that whoever waits for {@code /health} to say UP gets
 * an answer, not a 503, from {@code /executions}, {@code /attempts} and {@code /stats} next. While
 * the views start, restore or take over partitions it is down with their state (and the store
 * partition that cannot be read yet); the liveness probe stays up meanwhile.
 */
@Singleton
public class ViewsHealth implements HealthComponent {

  private final ViewsState views;

  public ViewsHealth(ViewsState views) {
    this.views = views;
  }

  @Override
  public String name() {
    return "views";
  }

  @Override
  public ComponentHealth check() {
    ProbeResult answering = views.answering();
    return answering.up() ? ComponentHealth.up(answering.details()) : ComponentHealth.down(answering.details());
  }
}
