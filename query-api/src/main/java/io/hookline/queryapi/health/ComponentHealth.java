package io.hookline.queryapi.health;

import java.util.Map;
import java.util.Objects;

/** The state of one {@link HealthComponent}, with details worth showing to an operator. */
public record ComponentHealth(boolean up, Map<String, Object> details) {

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
