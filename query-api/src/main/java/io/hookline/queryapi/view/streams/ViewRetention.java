package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.config.QueryApiConfiguration;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * How far back the views answer ({@code HOOKLINE_FAILED_RETENTION}, for both views): an entry older
 * than the retention is never returned, even before the wall-clock purge removes it from the store.
 */
@Singleton
public class ViewRetention {

  private final Clock clock;
  private final Duration retention;

  public ViewRetention(Clock clock, QueryApiConfiguration config) {
    this.clock = clock;
    this.retention = config.getFailedRetention();
  }

  /** The oldest time (epoch ms) the views answer for now. */
  public long oldestKept() {
    return clock.millis() - retention.toMillis();
  }
}
