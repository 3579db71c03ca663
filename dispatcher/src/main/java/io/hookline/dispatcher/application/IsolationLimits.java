package io.hookline.dispatcher.application;

import java.time.Duration;

/**
 * How the delivery engine keeps one failing or slow webhook from holding back the others.
 *
 * @param breakerFailureThreshold consecutive attempts that timed out or could not connect
 *     that open a webhook's circuit breaker; 0 switches breakers off
 * @param breakerOpenDuration how long an open breaker sends nothing before one probe goes through;
 *     also how long a parked execution waits before it comes back
 * @param maxQueuedPerWebhook executions one webhook may have waiting (not in flight) before
 *     further new ones are parked, if working through them would take longer than the open duration
 */
public record IsolationLimits(int breakerFailureThreshold, Duration breakerOpenDuration, int maxQueuedPerWebhook) {

  /** No breakers, no per-webhook bound: every execution waits in its lane, as without isolation. */
  public static final IsolationLimits OFF = new IsolationLimits(0, Duration.ofSeconds(30), Integer.MAX_VALUE);

  public IsolationLimits {
    if (breakerFailureThreshold < 0) {
      throw new IllegalArgumentException("breaker-failure-threshold must be >= 0, was " + breakerFailureThreshold);
    }
    if (breakerOpenDuration == null || breakerOpenDuration.toMillis() < 1) {
      throw new IllegalArgumentException("breaker-open-duration must be at least 1ms, was " + breakerOpenDuration);
    }
    if (maxQueuedPerWebhook < 1) {
      throw new IllegalArgumentException("max-queued-per-webhook must be >= 1, was " + maxQueuedPerWebhook);
    }
  }
}
