package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.dispatcher.application.EventBodies;
import io.hookline.dispatcher.domain.Event;
import io.hookline.schemas.EventCodec;

/** The JSON body of an event exactly as the contract's {@link EventCodec#toJson} writes it. */
public final class ContractEventBodies implements EventBodies {

  @Override
  public byte[] json(Event event) {
    return EventCodec.toJson(event.id(), event.portal(), event.appId(), event.name(), event.entity(),
        event.entityId(), event.entityLabel(), event.eventTime(), event.payload());
  }
}
