package io.hookline.queryapi.view.peer;

import io.hookline.queryapi.domain.InvalidFieldException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads back the query parameters one instance wrote when forwarding a question (see
 * {@link PeerView}): plain epoch milliseconds, positive whole numbers and comma-separated names. A
 * malformed value is a 400 naming the parameter.
 */
public final class PeerParameters {

  private PeerParameters() {}

  public static long epochMillis(String name, String value) {
    long millis;
    try {
      millis = Long.parseLong(value);
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis < 0) {
      throw new InvalidFieldException(name, "'" + name + "' must be epoch milliseconds, was '" + value + "'");
    }
    return millis;
  }

  public static int positive(String name, String value) {
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(name, "'" + name + "' must be a whole number, was '" + value + "'");
    }
    if (number < 1) {
      throw new InvalidFieldException(name, "'" + name + "' must be positive");
    }
    return number;
  }

  /** The names of a comma-separated list, in order; none for a missing or empty list. */
  public static Set<String> names(String list) {
    return list == null || list.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(list.split(",", -1)));
  }
}
