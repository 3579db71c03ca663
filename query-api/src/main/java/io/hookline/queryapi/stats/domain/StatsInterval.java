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

  public static Optional<StatsInterval> ofLabel(String label) {
    return Arrays.stream(values()).filter(i -> i.label.equals(label)).findFirst();
  }
}
