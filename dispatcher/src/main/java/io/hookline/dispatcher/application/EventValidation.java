package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Event;

/**
 * Checks an event against the JSON Schema of its type, when its portal gave the type one. An event
 * that does not match is refused before fan-out: kept on the invalid-events topic with the reasons
 * and delivered to no webhook.
 */
@FunctionalInterface
public interface EventValidation {

  /** No event type has a schema: every event passes. */
  EventValidation NONE = event -> null;

  /** The reason code an event refused by its schema carries on the invalid-events topic. */
  String REASON = "SCHEMA_VALIDATION";

  /** Why {@code event}'s payload does not match its type's schema, or null when it does or there is none. */
  String violations(Event event);
}
