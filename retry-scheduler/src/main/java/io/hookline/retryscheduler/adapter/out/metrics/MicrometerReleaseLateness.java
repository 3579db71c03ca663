package io.hookline.retryscheduler.adapter.out.metrics;

import io.hookline.retryscheduler.application.ReleaseListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The release lateness (from the hand-off time, the due time less the release lead, to the
 * release) as a Prometheus histogram, {@code hookline_retry_release_lateness_seconds}, with buckets from 5 ms to 1 minute: a healthy
 * scheduler releases within tens of milliseconds, a backlog shows as seconds.
 */
public final class MicrometerReleaseLateness implements ReleaseListener {

  static final String LATENESS = "hookline.retry.release.lateness";
  static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60)};

  private final Timer lateness;

  public MicrometerReleaseLateness(MeterRegistry registry) {
    this.lateness = Timer.builder(LATENESS)
        .description("How late retries and parked executions were released after their hand-off time (due time minus the release lead)")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  @Override
  public void released(long latenessMs) {
    lateness.record(latenessMs, TimeUnit.MILLISECONDS);
  }
}
