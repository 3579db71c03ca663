package io.hookline.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How Hookline writes its own record headers: plain UTF-8 text, so that kcat or any Kafka tool
 * shows them without a decoder. Shared by {@link DeadLetterHeaders} and {@link InvalidRecordHeaders}.
 */
final class TextHeaders {

  private TextHeaders() {}

  /** Adds the header; a null value is written as an empty one, so the header is always present. */
  static void put(Map<String, byte[]> headers, String name, String value) {
    headers.put(name, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds the header only when there is a value. */
  static void putIfPresent(Map<String, byte[]> headers, String name, String value) {
    if (value != null) {
      headers.put(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
