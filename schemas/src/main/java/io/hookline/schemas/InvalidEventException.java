package io.hookline.schemas;

/** An input record that is not a usable event; {@link #reason()} is a stable code for the headers. */
public final class InvalidEventException extends Exception {

  /** Stable reason codes written to the {@code hookline.error.reason} header. */
  public enum Reason {
    /** No value (a tombstone) or an empty one. */
    EMPTY_RECORD,
    /** Neither Avro nor well-formed JSON: random bytes, truncated JSON, invalid UTF-8, a raw control character, text after the value. */
    MALFORMED_JSON,
    /** Well-formed JSON, but not an object. */
    NOT_A_JSON_OBJECT,
    /** The Avro marker, but an unknown schema fingerprint or a body that does not decode (truncated, corrupt). */
    UNDECODABLE_AVRO,
    /** {@code portal} or {@code event} absent, null or blank. */
    MISSING_FIELD,
    /** A field of the wrong JSON type, or with a value it may not hold (the message names the field). */
    INVALID_FIELD,
    /** A name appears twice in one JSON object. */
    DUPLICATE_FIELD,
    /** Larger than an event may be, or nested deeper (the message names the limit). */
    LIMIT_EXCEEDED,
    /** The schema registry wire format, naming a schema id the configured registry does not know. */
    UNKNOWN_SCHEMA_ID
  }

  private final Reason reason;

  public InvalidEventException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** Without a stack trace of its own: the reason and message say what is wrong, and a flood of bad input is cheaper to refuse. */
  public InvalidEventException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
