package io.hookline.dispatcher.domain;

/**
 * Why an execution failed. The name is the stable error code written to attempts and failed
 * executions ({@code error.code} in the API). A reason that is not {@link #retryable()} ends the
 * execution at once: trying again later cannot change the answer.
 */
public enum FailureReason {
  /** The receiver answered with a status of 300 or more (redirects are not followed). */
  HTTP_ERROR(AttemptStatus.ERROR),
  /** No complete response within the delivery timeout (connect included). */
  TIMEOUT(AttemptStatus.TIMEOUT),
  /** Refused, reset or closed connection, unknown host, unusable URL. */
  CONNECTION_ERROR(AttemptStatus.ERROR),
  /** The webhook has no secret that may still sign, so nothing was sent. */
  SECRET_EXPIRED(AttemptStatus.ERROR),
  /**
   * The URL is not http(s), or resolves to an address private targets are refused on (see
   * TargetPolicy); not called, and not retried.
   */
  TARGET_REFUSED(AttemptStatus.ERROR, false),
  /** The webhook's signing secret is not usable (not base64 after whsec_), so nothing was sent. */
  SECRET_INVALID(AttemptStatus.ERROR),
  /**
   * The webhook's signing secret does not decrypt with this dispatcher's HOOKLINE_SECRETS_KEY, so
   * nothing was sent. Retried: an operator can fix the key.
   */
  SECRET_UNREADABLE(AttemptStatus.ERROR),
  /**
   * The webhook's circuit breaker was open (its endpoint kept timing out or failing) when this
   * execution, already parked once for this attempt, came back; not called. Retried per schedule.
   */
  CIRCUIT_OPEN(AttemptStatus.ERROR),
  /** The webhook was deleted before a retry was due; it was not called. */
  WEBHOOK_DELETED(AttemptStatus.ERROR),
  /** The webhook was disabled before a retry was due; it was not called. */
  WEBHOOK_DISABLED(AttemptStatus.ERROR);

  private final AttemptStatus attemptStatus;
  private final boolean retryable;

  FailureReason(AttemptStatus attemptStatus) {
    this(attemptStatus, true);
  }

  FailureReason(AttemptStatus attemptStatus, boolean retryable) {
    this.attemptStatus = attemptStatus;
    this.retryable = retryable;
  }

  /** Whether another attempt later may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The status an attempt that failed for this reason carries. */
  public AttemptStatus attemptStatus() {
    return attemptStatus;
  }
}
