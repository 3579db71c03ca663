package io.hookline.schemas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers on records of {@code hookline.events.invalid}: why the record was refused and where it
 * came from. The value and key are the original bytes, untouched, so nothing is lost and a fixed
 * record can be re-published.
 */
public final class InvalidRecordHeaders {

  /** A stable code, one of {@link InvalidEventException.Reason}. */
  public static final String REASON = "hookline.error.reason";
  /** A human-readable explanation naming the field or the decoding problem, at most {@value #MAX_MESSAGE_LENGTH} characters. */
  public static final String MESSAGE = "hookline.error.message";
  public static final String SOURCE_TOPIC = "hookline.source.topic";
  public static final String SOURCE_PARTITION = "hookline.source.partition";
  public static final String SOURCE_OFFSET = "hookline.source.offset";

  /** Longest message kept: the copy of a record near Kafka's size limit must still fit. */
  static final int MAX_MESSAGE_LENGTH = 500;

  private InvalidRecordHeaders() {}

  /**
   * The headers for a refused record, in a stable order (reason, message, source topic, partition,
   * offset), as UTF-8 text; a null reason or message is written as an empty value, so every header
   * is always present; a longer message is cut short.
   */
  public static Map<String, byte[]> of(
      String reason, String message, String sourceTopic, int sourcePartition, long sourceOffset) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    TextHeaders.put(h, REASON, reason);
    TextHeaders.put(h, MESSAGE, message == null || message.length() <= MAX_MESSAGE_LENGTH
        ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...");
    TextHeaders.put(h, SOURCE_TOPIC, sourceTopic);
    TextHeaders.put(h, SOURCE_PARTITION, Integer.toString(sourcePartition));
    TextHeaders.put(h, SOURCE_OFFSET, Long.toString(sourceOffset));
    return h;
  }
}
