package io.hookline.queryapi.health;

import java.util.Map;
import java.util.Objects;

/** The state of one {@link HealthComponent}, with details worth showing to an operator. */
public record ComponentHealth(boolean up, Map<String, Object> details) {

  /** The detail naming what works only in part while the component is up (readiness shows it too). */
  public static final String DEGRADED = "degraded";

  public ComponentHealth {
    details = Map.copyOf(Objects.requireNonNull(details, "details"));
  }

  public static ComponentHealth up(Map<String, Object> details) {
    return new ComponentHealth(true, details);
  }

  public static ComponentHealth down(Map<String, Object> details) {
    return new ComponentHealth(false, details);
  }
}
