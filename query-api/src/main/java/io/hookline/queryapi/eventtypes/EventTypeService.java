package io.hookline.queryapi.eventtypes;

import io.hookline.queryapi.eventtypes.domain.EventType;
import io.hookline.queryapi.eventtypes.domain.EventTypeRules;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The event type use cases of one portal: create, read, replace and delete. Validates with
 * {@link EventTypeRules} (a schema must itself be a valid JSON Schema) before anything is stored, and
 * writes through the {@link EventTypeRepository}, so every answer reflects the write it follows.
 */
public class EventTypeService {

  private final EventTypeRepository repository;
  private final Clock clock;

  public EventTypeService(EventTypeRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** @throws EventTypeExistsException when the portal has a type of that name already */
  public EventType create(String portal, String name, String description, String schema) {
    String validName = EventTypeRules.name(name);
    String validDescription = EventTypeRules.description(description);
    String validSchema = EventTypeRules.schema(schema);
    Instant now = now();
    return repository.change(portal, validName, current -> {
      if (current.isPresent()) {
        throw new EventTypeExistsException(portal, validName);
      }
      return Optional.of(new EventType(portal, validName, validDescription, validSchema, now, now));
    }).orElseThrow();
  }

  public List<EventType> list(String portal) {
    return repository.findByPortal(portal);
  }

  public EventType get(String portal, String name) {
    return repository.find(portal, name).orElseThrow(() -> new EventTypeNotFoundException(portal, name));
  }

  /** Sets the description and schema of an existing type (null: none). */
  public EventType replace(String portal, String name, String description, String schema) {
    String validDescription = EventTypeRules.description(description);
    String validSchema = EventTypeRules.schema(schema);
    Instant now = now();
    return repository.change(portal, name, current -> Optional.of(current
        .orElseThrow(() -> new EventTypeNotFoundException(portal, name))
        .replaced(validDescription, validSchema, now))).orElseThrow();
  }

  public void delete(String portal, String name) {
    repository.change(portal, name, current -> {
      current.orElseThrow(() -> new EventTypeNotFoundException(portal, name));
      return Optional.empty();
    });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
