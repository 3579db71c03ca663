package io.hookline.runtime;

/**
 * A change through {@link FencedUpdates} could not be confirmed in time (Kafka unreachable, too
 * slow): it may or may not have been applied.
 */
public final class UnconfirmedChangeException extends RuntimeException {

  UnconfirmedChangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
