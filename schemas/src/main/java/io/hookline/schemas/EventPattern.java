package io.hookline.schemas;

/**
 * What an entry of a webhook's {@code events} means: an exact event name ({@code order.created}),
 * every event whose name starts with a dotted prefix ({@code order.*}: {@code order.created},
 * {@code order.item.added}, but not {@code order} nor {@code orders.created}), or every event
 * ({@code *}). A {@code *} anywhere else ({@code or*der}, {@code order*}, {@code *.created}) is not a
 * pattern. Like Svix's and Convoy's globs on dotted names, a trailing {@code .*} spans any number of
 * further segments.
 */
public final class EventPattern {

  /** Every event. */
  public static final String ALL = "*";
  private static final String WILDCARD_SUFFIX = ".*";

  private EventPattern() {}

  /** Whether {@code entry} is a wildcard ({@code *} or {@code <prefix>.*}). */
  public static boolean isWildcard(String entry) {
    return entry.equals(ALL) || entry.endsWith(WILDCARD_SUFFIX);
  }

  /**
   * The prefix an event name must start with to match a wildcard entry: empty for {@code *},
   * {@code order.} for {@code order.*}.
   */
  public static String prefix(String wildcard) {
    return wildcard.equals(ALL) ? "" : wildcard.substring(0, wildcard.length() - 1);
  }

  /**
   * Why {@code entry} is not a valid entry, or null when it is: a {@code *} may only stand alone or
   * as the whole last segment after a non-empty prefix.
   */
  public static String problem(String entry) {
    int star = entry.indexOf('*');
    if (star < 0 || entry.equals(ALL)) {
      return null;
    }
    if (star != entry.length() - 1 || !entry.endsWith(WILDCARD_SUFFIX) || entry.length() == WILDCARD_SUFFIX.length()) {
      return "a '*' may only stand alone ('*': every event) or end a dotted prefix ('order.*')";
    }
    return null;
  }

  /** Whether {@code entry} (valid, see {@link #problem}) matches the event named {@code event}. */
  public static boolean matches(String entry, String event) {
    return isWildcard(entry) ? event.startsWith(prefix(entry)) && event.length() > prefix(entry).length()
        : entry.equals(event);
  }
}
