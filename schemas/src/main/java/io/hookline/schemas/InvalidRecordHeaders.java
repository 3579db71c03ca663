package io.hookline.schemas;

/**
 * Headers on records of {@code hookline.events.invalid}: why the record was refused and where it
 * came from. The value and key are the original bytes, untouched, so nothing is lost and a fixed
 * record can be re-published.
 */
public final class InvalidRecordHeaders {

  /** A stable code, one of {@link InvalidEventException.Reason}. */
  public static final String REASON = "hookline.error.reason";
  /** A human-readable explanation naming the field or the decoding problem. */
  public static final String MESSAGE = "hookline.error.message";
  public static final String SOURCE_TOPIC = "hookline.source.topic";
  public static final String SOURCE_PARTITION = "hookline.source.partition";
  public static final String SOURCE_OFFSET = "hookline.source.offset";

  private InvalidRecordHeaders() {}
}
