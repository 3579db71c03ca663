package io.hookline.queryapi.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the console writes times, rates and durations: UTC, to the second, the same on every page. The
 * templates reach it as {@code fmt} ({@link #TEMPLATES}), the Java code through the static methods.
 */
public final class ConsoleFormat {

  /** The instance the templates call: {@code ${fmt.at(millis)}}, {@code ${fmt.iso(millis)}}, {@code ${fmt.ms(ms)}}. */
  public static final ConsoleFormat TEMPLATES = new ConsoleFormat();

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SHORT =
      DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ConsoleFormat() {}

  public String at(Long epochMillis) {
    return time(epochMillis);
  }

  public String iso(Long epochMillis) {
    return isoTime(epochMillis);
  }

  public String ms(Long millis) {
    return millis(millis);
  }

  /** {@code 2026-12-07 07:31:02 UTC}; a dash when there is no time. */
  public static String time(Long epochMillis) {
    return epochMillis == null ? "—" : TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The machine-readable form for a {@code <time datetime>} attribute. */
  public static String isoTime(Long epochMillis) {
    return epochMillis == null ? "" : Instant.ofEpochMilli(epochMillis).toString();
  }

  /** {@code 12-07 07:31}, for chart axes. */
  public static String shortTime(long epochMillis) {
    return SHORT.format(Instant.ofEpochMilli(epochMillis));
  }

  /** {@code 99.5 %}; a dash when there was nothing to rate. */
  public static String percent(Double ratio) {
    return ratio == null ? "—" : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
  }

  /** {@code 42 ms}, {@code 5.0 s}; a dash when unknown. */
  public static String millis(Long ms) {
    if (ms == null) {
      return "—";
    }
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
