package io.hookline.queryapi.eventtypes;

/** An event type of this name exists already in this portal: change it with PUT. */
public final class EventTypeExistsException extends RuntimeException {

  public EventTypeExistsException(String portal, String name) {
    super("Event type '" + name + "' exists already in portal '" + portal + "'; change it with PUT");
  }
}
