package io.hookline.queryapi.stats.domain;

import java.util.Map;
import java.util.Objects;

/**
 * One step of a webhook's statistics series: attempts by {@link Outcome} that started in
 * {@code [start, start + interval)}, executions dead-lettered in it, latency percentiles of its
 * attempts (ms, null when it had none) and its last success and failure (epoch ms, null when none).
 *
 * @param attemptsByOutcome every outcome, zero included
 */
public record StatsBucket(long start, StatsInterval interval, Map<Outcome, Long> attemptsByOutcome, long deadLetters,
    Long p50LatencyMs, Long p95LatencyMs, Long p99LatencyMs, Long lastSuccessAt, Long lastFailureAt) {

  public StatsBucket {
    Objects.requireNonNull(interval, "interval");
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
}
