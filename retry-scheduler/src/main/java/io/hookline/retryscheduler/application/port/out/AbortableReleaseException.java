package io.hookline.retryscheduler.application.port.out;

/**
 * A transaction that could not commit, while the producer can still be used: it is aborted, and
 * the records it held are read and released again.
 */
public final class AbortableReleaseException extends RuntimeException {

  public AbortableReleaseException(Throwable cause) {
    super(cause.toString(), cause);
  }
}
