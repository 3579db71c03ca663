package io.hookline.queryapi.eventtypes;

import io.hookline.queryapi.eventtypes.domain.EventType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Where event types are kept; every change is decided on the latest stored version. */
public interface EventTypeRepository {

  Optional<EventType> find(String portal, String name);

  /** The portal's event types, by name. */
  List<EventType> findByPortal(String portal);

  /**
   * Replaces the event type {@code name} of {@code portal} by what {@code change} makes of its latest
   * version (empty: none), serialised with every other change of it; an empty result deletes it.
   * Returns what was stored. {@code change} may run more than once and throws to refuse.
   */
  Optional<EventType> change(String portal, String name, Function<Optional<EventType>, Optional<EventType>> change);
}
