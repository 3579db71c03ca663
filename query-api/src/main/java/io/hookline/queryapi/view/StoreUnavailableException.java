package io.hookline.queryapi.view;

/**
 * The webhook store could not confirm a write or answer a read in time (Kafka unreachable, or the
 * copy of the topic not caught up). The caller may retry; a write may or may not have happened.
 */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
