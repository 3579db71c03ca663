package io.hookline.schemas;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a webhook's custom headers may be: headers a receiver asked for (an API key, a routing tag)
 * sent with every request to it. A custom header never replaces one Hookline sets or one that
 * governs the connection: the Standard Webhooks headers, the body's framing and type, hop-by-hop
 * headers, {@code Host}, {@code User-Agent} and anything starting with {@code hookline-} are
 * reserved. Names are RFC 9110 tokens, values RFC 9110 field values (visible ASCII, spaces and tabs
 * inside, nothing before or after), within small limits so the request stays well under any
 * server's header limit. Names compare case-insensitively.
 */
public final class CustomHeaders {

  public static final int MAX_HEADERS = 20;
  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_VALUE_LENGTH = 1000;
  /** Longest sum of names and values. */
  public static final int MAX_TOTAL_LENGTH = 4096;
  /** Names starting with this are Hookline's own. */
  public static final String RESERVED_PREFIX = "hookline-";

  private static final Set<String> RESERVED = Set.of(
      "webhook-id", "webhook-timestamp", "webhook-signature",
      "content-type", "content-length", "content-encoding", "transfer-encoding", "host", "user-agent",
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect");
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private CustomHeaders() {}

  /** Whether {@code name} is one Hookline sets or that governs the connection. */
  public static boolean isReserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return RESERVED.contains(lower) || lower.startsWith(RESERVED_PREFIX);
  }

  /** Why {@code headers} may not be sent, naming the header, or null when they may. */
  public static String problem(Map<String, String> headers) {
    if (headers.size() > MAX_HEADERS) {
      return "at most " + MAX_HEADERS + " headers";
    }
    int total = 0;
    Set<String> seen = new java.util.HashSet<>();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String problem = problem(h.getKey(), h.getValue());
      if (problem != null) {
        return problem;
      }
      if (!seen.add(h.getKey().toLowerCase(Locale.ROOT))) {
        return "'" + h.getKey() + "' is given twice (names are case-insensitive)";
      }
      total += h.getKey().length() + h.getValue().length();
    }
    return total > MAX_TOTAL_LENGTH ? "names and values must add up to at most " + MAX_TOTAL_LENGTH + " characters" : null;
  }

  /** Why the header {@code name: value} may not be sent, or null when it may. */
  public static String problem(String name, String value) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(CustomHeaders::isTokenChar)) {
      return "'" + shown(name) + "' is not a header name (1 to " + MAX_NAME_LENGTH
          + " letters, digits or " + TOKEN_SYMBOLS + ")";
    }
    if (isReserved(name)) {
      return "'" + name + "' is reserved: Hookline sets it, or it governs the connection";
    }
    if (value == null) {
      return "the value of '" + name + "' must be a string";
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      return "the value of '" + name + "' must be at most " + MAX_VALUE_LENGTH + " characters";
    }
    if (!value.chars().allMatch(c -> c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e))
        || value.startsWith(" ") || value.startsWith("\t") || value.endsWith(" ") || value.endsWith("\t")) {
      return "the value of '" + name + "' must be visible ASCII, with spaces or tabs only inside";
    }
    return null;
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TOKEN_SYMBOLS.indexOf(c) >= 0;
  }

  private static String shown(String name) {
    // Cut short, and nothing but printable ASCII echoed back.
    String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
