package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.OperationalEvent;
import java.util.concurrent.CompletableFuture;

/** Where operational events are written durably; the future completes when the event is acknowledged. */
public interface OperationalEvents {

  CompletableFuture<Void> publish(OperationalEvent event);
}
