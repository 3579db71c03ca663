package io.hookline.schemas;

import java.nio.charset.StandardCharsets;
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
  /** A human-readable explanation naming the field or the decoding problem. */
  public static final String MESSAGE = "hookline.error.message";
  public static final String SOURCE_TOPIC = "hookline.source.topic";
  public static final String SOURCE_PARTITION = "hookline.source.partition";
  public static final String SOURCE_OFFSET = "hookline.source.offset";

  private InvalidRecordHeaders() {}

  /**
   * The headers for a refused record, in a stable order (reason, message, source topic, partition,
   * offset), as UTF-8 text; a null reason or message is written as an empty value, so every header
   * is always present.
   */
  public static Map<String, byte[]> of(
      String reason, String message, String sourceTopic, int sourcePartition, long sourceOffset) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    h.put(REASON, utf8(reason));
    h.put(MESSAGE, utf8(message));
    h.put(SOURCE_TOPIC, utf8(sourceTopic));
    h.put(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
    h.put(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
    return h;
  }

  private static byte[] utf8(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }
}
