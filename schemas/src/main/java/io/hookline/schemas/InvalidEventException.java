package io.hookline.schemas;

/** An input record that is not a usable event; {@link #reason()} is a stable code for the headers. */
public final class InvalidEventException extends Exception {

  /** Stable reason codes written to the {@code hookline.error.reason} header. */
  public enum Reason {
    EMPTY_RECORD,
    MALFORMED_JSON,
    NOT_A_JSON_OBJECT,
    UNDECODABLE_AVRO,
    MISSING_FIELD,
    INVALID_FIELD
  }

  private final Reason reason;

  public InvalidEventException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidEventException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
