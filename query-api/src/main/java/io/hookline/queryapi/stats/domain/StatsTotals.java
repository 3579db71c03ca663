package io.hookline.queryapi.stats.domain;

import java.util.Map;

/**
 * A webhook's statistics over a whole range: attempts by {@link Outcome}, executions
 * dead-lettered, latency percentiles of all its attempts (ms, null when none) and its last success
 * and failure (epoch ms, null when none).
 *
 * @param attemptsByOutcome every outcome, zero included
 */
public record StatsTotals(Map<Outcome, Long> attemptsByOutcome, long deadLetters, Long p50LatencyMs,
    Long p95LatencyMs, Long p99LatencyMs, Long lastSuccessAt, Long lastFailureAt) {

  public StatsTotals {
    attemptsByOutcome = Map.copyOf(attemptsByOutcome);
  }

  public long attempts() {
    return attemptsByOutcome.values().stream().mapToLong(Long::longValue).sum();
  }

  public long delivered() {
    return attemptsByOutcome.getOrDefault(Outcome.DELIVERED, 0L);
  }

  public long failures() {
    return attempts() - delivered();
  }

  /** Delivered attempts over all attempts, 0..1; null when there was no attempt. */
  public Double successRate() {
    long attempts = attempts();
    return attempts == 0 ? null : (double) delivered() / attempts;
  }
}
