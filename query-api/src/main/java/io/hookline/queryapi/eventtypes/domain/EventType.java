package io.hookline.queryapi.eventtypes.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An event type of a portal: the name events carry, what it means, and optionally the JSON Schema
 * (draft 2020-12) every event of the type must match; the dispatcher refuses an event that does not
 * (it goes to the invalid-events topic and reaches no webhook).
 *
 * @param description null when none was given
 * @param schema the JSON Schema as compact JSON text, null when events of the type are not validated
 */
public record EventType(String portal, String name, String description, String schema, Instant createdAt,
    Instant modifiedAt) {

  public EventType {
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(modifiedAt, "modifiedAt");
  }

  /** This type with a new description and schema, modified at {@code now}. */
  public EventType replaced(String description, String schema, Instant now) {
    return new EventType(portal, name, description, schema, createdAt, now);
  }
}
