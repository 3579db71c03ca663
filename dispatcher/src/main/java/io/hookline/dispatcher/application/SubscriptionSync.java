package io.hookline.dispatcher.application;

import java.util.concurrent.CompletableFuture;

/**
 * Tells when the subscriptions in effect here include every change written before a given moment,
 * without blocking: the dispatcher's side of the API's read-your-writes.
 */
@FunctionalInterface
public interface SubscriptionSync {

  /**
   * Completes once every subscription change written (acknowledged) before this call is in effect.
   * Fails when that cannot be established right now (the broker is unreachable: ask again later), or
   * with {@link Stopped} when the subscriptions will never follow changes again.
   */
  CompletableFuture<Void> catchUp();

  /** The subscriptions stopped following changes for good; waiting longer cannot help. */
  final class Stopped extends RuntimeException {
    public Stopped(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
