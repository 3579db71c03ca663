package io.hookline.queryapi.stats.domain;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The step of a statistics series, as the API names it ({@code interval=1m|5m|1h|1d}). */
public enum StatsInterval {
  MINUTE("1m", Duration.ofMinutes(1)),
  FIVE_MINUTES("5m", Duration.ofMinutes(5)),
  HOUR("1h", Duration.ofHours(1)),
  DAY("1d", Duration.ofDays(1));

  /** The most points one series may have: a week at one point a minute. */
  public static final int MAX_POINTS = 10_080;

  private final String label;
  private final Duration length;

  StatsInterval(String label, Duration length) {
    this.label = label;
    this.length = length;
  }

  public String label() {
    return label;
  }

  public long millis() {
    return length.toMillis();
  }

  /** The start of the step holding {@code epochMillis} (UTC-aligned). */
  public long floor(long epochMillis) {
    return Math.floorDiv(epochMillis, millis()) * millis();
  }

  /**
   * How many steps a series from {@code from} to {@code toExclusive} has; negative when the count
   * overflows (a range of centuries at one point a minute).
   */
  public long points(long from, long toExclusive) {
    return (toExclusive - floor(from) + millis() - 1) / millis();
  }

  public static Optional<StatsInterval> ofLabel(String label) {
    return Arrays.stream(values()).filter(i -> i.label.equals(label)).findFirst();
  }
}
