package io.hookline.queryapi.console;

import io.hookline.queryapi.stats.domain.StatsInterval;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The time ranges the webhook page's charts offer, each with the step that gives it a readable number of bars. */
public enum StatsRange {
  LAST_HOUR("1h", "Last hour, per minute", Duration.ofHours(1), StatsInterval.MINUTE),
  LAST_6_HOURS("6h", "Last 6 hours, per 5 minutes", Duration.ofHours(6), StatsInterval.FIVE_MINUTES),
  LAST_DAY("24h", "Last 24 hours, per hour", Duration.ofHours(24), StatsInterval.HOUR),
  LAST_WEEK("7d", "Last 7 days, per day", Duration.ofDays(7), StatsInterval.DAY);

  public static final StatsRange DEFAULT = LAST_DAY;

  private final String label;
  private final String description;
  private final Duration length;
  private final StatsInterval interval;

  StatsRange(String label, String description, Duration length, StatsInterval interval) {
    this.label = label;
    this.description = description;
    this.length = length;
    this.interval = interval;
  }

  public String label() {
    return label;
  }

  public String description() {
    return description;
  }

  public StatsInterval interval() {
    return interval;
  }

  /** The end (exclusive) of the range that ends with the step holding {@code now}. */
  public long to(long now) {
    return interval.floor(now) + interval.millis();
  }

  public long from(long now) {
    return to(now) - length.toMillis();
  }

  public static Optional<StatsRange> ofLabel(String label) {
    return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst();
  }
}
