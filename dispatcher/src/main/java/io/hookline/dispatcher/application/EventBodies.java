package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Event;

/** The body subscribers receive for an event: its JSON form as the contract defines it. */
@FunctionalInterface
public interface EventBodies {

  byte[] json(Event event);
}
