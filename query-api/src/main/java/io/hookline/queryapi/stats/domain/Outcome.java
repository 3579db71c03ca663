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

  /**
   * The outcome of an attempt of status {@code status} (SENT, ERROR or TIMEOUT) with the
   * dispatcher's {@code errorCode} (null when none): SENT is {@link #DELIVERED}; a code names the
   * failure; a TIMEOUT without a code is {@link #TIMEOUT}; any other code, or none, is
   * {@link #NOT_SENT}.
   */
  public static Outcome of(String status, String errorCode) {
    if ("SENT".equals(status)) {
      return DELIVERED;
    }
    if (errorCode == null) {
      return "TIMEOUT".equals(status) ? TIMEOUT : NOT_SENT;
    }
    return switch (errorCode) {
      case "HTTP_ERROR" -> HTTP_ERROR;
      case "TIMEOUT" -> TIMEOUT;
      case "CONNECTION_ERROR" -> CONNECTION_ERROR;
      case "CIRCUIT_OPEN" -> CIRCUIT_OPEN;
      case "TARGET_REFUSED" -> REFUSED;
      default -> NOT_SENT;
    };
  }
}
