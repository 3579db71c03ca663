package io.hookline.queryapi.stats.domain;

/**
 * A webhook's deliveries over a time range: attempts, how many were delivered and how many failed,
 * executions dead-lettered, the last success and failure (epoch ms, null when none in the range)
 * and the 95th percentile of the attempts' durations (ms, null when no attempt).
 */
public record WebhookSummary(String webhookId, long attempts, long delivered, long failures, long deadLetters,
    Long lastSuccessAt, Long lastFailureAt, Long p95LatencyMs) {

  /** Delivered attempts over all attempts, 0..1; null when there was no attempt. */
  public Double successRate() {
    return attempts == 0 ? null : (double) delivered / attempts;
  }

  public static WebhookSummary empty(String webhookId) {
    return new WebhookSummary(webhookId, 0, 0, 0, 0, null, null, null);
  }
}
