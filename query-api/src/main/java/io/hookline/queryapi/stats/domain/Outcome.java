package io.hookline.queryapi.stats.domain;

/**
 * How one attempt ended, as the statistics count it. The dispatcher's error codes map onto these:
 * {@code HTTP_ERROR}, {@code TIMEOUT}, {@code CONNECTION_ERROR} and {@code CIRCUIT_OPEN} as named,
 * {@code TARGET_REFUSED} as {@link #REFUSED}, and the attempts that sent nothing for a reason of
 * the webhook's own (its secret, or the webhook deleted or disabled meanwhile) as {@link #NOT_SENT}.
 */
public enum Outcome {
  DELIVERED,
  HTTP_ERROR,
  TIMEOUT,
  CONNECTION_ERROR,
  REFUSED,
  CIRCUIT_OPEN,
  NOT_SENT;

  public boolean failure() {
    return this != DELIVERED;
  }
}
