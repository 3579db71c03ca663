package io.hookline.runtime.management;

import java.util.Map;
import java.util.Objects;

/** What a probe found: up or down, and details worth showing to an operator (small, never secrets). */
public record ProbeResult(boolean up, Map<String, Object> details) {

  public ProbeResult {
    details = Map.copyOf(Objects.requireNonNull(details, "details"));
  }

  public static ProbeResult up(Map<String, Object> details) {
    return new ProbeResult(true, details);
  }

  public static ProbeResult down(Map<String, Object> details) {
    return new ProbeResult(false, details);
  }

  /** Down with one reason. */
  public static ProbeResult down(String reason) {
    return new ProbeResult(false, Map.of("reason", reason));
  }

  public String status() {
    return up ? "UP" : "DOWN";
  }

  /** The JSON body of a probe answer: {@code {"status":"UP","details":{...}}}. */
  public String json() {
    StringBuilder out = new StringBuilder("{\"status\":\"").append(status()).append('"');
    if (!details.isEmpty()) {
      out.append(",\"details\":{");
      String separator = "";
      for (Map.Entry<String, Object> e : new java.util.TreeMap<>(details).entrySet()) {
        out.append(separator).append(quote(e.getKey())).append(':');
        Object v = e.getValue();
        out.append(v instanceof Number || v instanceof Boolean ? v.toString() : quote(String.valueOf(v)));
        separator = ",";
      }
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
