package io.hookline.queryapi.health;

/**
 * One part of the service whose state decides whether the service can answer requests. Every bean
 * of this type is reported by /health under its {@link #name()}; the service is up only when every
 * component is.
 */
public interface HealthComponent {

  String name();

  /** Checks the component now; must answer within a few seconds and never throw. */
  ComponentHealth check();
}
