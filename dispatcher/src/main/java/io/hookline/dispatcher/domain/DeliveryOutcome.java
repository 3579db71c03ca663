package io.hookline.dispatcher.domain;

import java.util.Objects;

/** What one delivery attempt came to: delivered, or failed for a reason. */
public sealed interface DeliveryOutcome {

  AttemptStatus attemptStatus();

  /** The HTTP status answered, or null when there was no answer. */
  Integer httpStatus();

  /** The start of the response body (capped), or null. */
  String responseExcerpt();

  /** The receiver answered 2xx. */
  record Delivered(int status, String responseExcerpt) implements DeliveryOutcome {
    @Override
    public AttemptStatus attemptStatus() {
      return AttemptStatus.SENT;
    }

    @Override
    public Integer httpStatus() {
      return status;
    }
  }

  /**
   * The attempt failed; {@code httpStatus} is set only for {@link FailureReason#HTTP_ERROR};
   * {@code retryAfter}: the answer's {@code Retry-After} header as sent, null when it had none
   * ({@link Throttling} decides what it means).
   */
  record Failed(FailureReason reason, Integer httpStatus, String message, String responseExcerpt, String retryAfter)
      implements DeliveryOutcome {

    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** A failure without a {@code Retry-After} header. */
    public Failed(FailureReason reason, Integer httpStatus, String message, String responseExcerpt) {
      this(reason, httpStatus, message, responseExcerpt, null);
    }

    public static Failed of(FailureReason reason, String message) {
      return new Failed(reason, null, message, null);
    }

    @Override
    public AttemptStatus attemptStatus() {
      return reason.attemptStatus();
    }

    /** 410 Gone: the receiver asks us to stop, so the execution is not retried. */
    public boolean gone() {
      return httpStatus != null && httpStatus == 410;
    }
  }
}
