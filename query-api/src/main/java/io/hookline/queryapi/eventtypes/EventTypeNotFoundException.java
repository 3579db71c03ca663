package io.hookline.queryapi.eventtypes;

/** No event type of this name in this portal. */
public final class EventTypeNotFoundException extends RuntimeException {

  public EventTypeNotFoundException(String portal, String name) {
    super("Event type '" + name + "' not found in portal '" + portal + "'");
  }
}
