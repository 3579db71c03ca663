package io.hookline.queryapi.stats.domain;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The delivery statistics of one webhook over some span (a minute, an hour, a query's range):
 * attempts by {@link Outcome}, executions dead-lettered, the attempts' {@link LatencyHistogram}
 * and the last success and failure. Spans merge by {@link #merge}, so an hour is the merge of its
 * minutes and a range the merge of its hours and minutes, with the same answer either way.
 *
 * <p>Mutable and not thread-safe: an accumulator, reused with {@link #clear()}.
 */
public final class StatsAggregate {

  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final long NONE = Long.MIN_VALUE;

  private final long[] attempts = new long[OUTCOMES.length];
  private final LatencyHistogram latency = new LatencyHistogram();
  private long deadLetters;
  private long lastSuccessAt = NONE;
  private long lastFailureAt = NONE;

  /** Counts one attempt started at {@code createdAt} that took {@code durationMs}. */
  public void recordAttempt(Outcome outcome, long durationMs, long createdAt) {
    attempts[outcome.ordinal()]++;
    latency.record(durationMs);
    if (outcome.failure()) {
      observeLastFailure(createdAt);
    } else {
      observeLastSuccess(createdAt);
    }
  }

  /** Counts one execution dead-lettered. */
  public void recordDeadLetter() {
    deadLetters++;
  }

  public void addAttempts(Outcome outcome, long count) {
    attempts[outcome.ordinal()] += count;
  }

  public void addDeadLetters(long count) {
    deadLetters += count;
  }

  public void observeLastSuccess(long at) {
    lastSuccessAt = Math.max(lastSuccessAt, at);
  }

  public void observeLastFailure(long at) {
    lastFailureAt = Math.max(lastFailureAt, at);
  }

  public void merge(StatsAggregate other) {
    for (int i = 0; i < attempts.length; i++) {
      attempts[i] += other.attempts[i];
    }
    latency.merge(other.latency);
    deadLetters += other.deadLetters;
    lastSuccessAt = Math.max(lastSuccessAt, other.lastSuccessAt);
    lastFailureAt = Math.max(lastFailureAt, other.lastFailureAt);
  }

  public long attempts(Outcome outcome) {
    return attempts[outcome.ordinal()];
  }

  public long attempts() {
    long sum = 0;
    for (long count : attempts) {
      sum += count;
    }
    return sum;
  }

  public long deadLetters() {
    return deadLetters;
  }

  /** The histogram itself, for reading and for a stored histogram to be added back. */
  public LatencyHistogram latency() {
    return latency;
  }

  /** Epoch ms of the last delivered attempt's start, or null when none. */
  public Long lastSuccessAt() {
    return lastSuccessAt == NONE ? null : lastSuccessAt;
  }

  /** Epoch ms of the last failed attempt's start, or null when none. */
  public Long lastFailureAt() {
    return lastFailureAt == NONE ? null : lastFailureAt;
  }

  public boolean isEmpty() {
    return attempts() == 0 && deadLetters == 0;
  }

  public StatsBucket toBucket(long start, StatsInterval interval) {
    return new StatsBucket(start, interval, byOutcome(), deadLetters, latency.percentile(0.50),
        latency.percentile(0.95), latency.percentile(0.99), lastSuccessAt(), lastFailureAt());
  }

  public StatsTotals toTotals() {
    return new StatsTotals(byOutcome(), deadLetters, latency.percentile(0.50), latency.percentile(0.95),
        latency.percentile(0.99), lastSuccessAt(), lastFailureAt());
  }

  private Map<Outcome, Long> byOutcome() {
    Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
    for (Outcome outcome : OUTCOMES) {
      byOutcome.put(outcome, attempts[outcome.ordinal()]);
    }
    return byOutcome;
  }

  public WebhookSummary toSummary(String webhookId) {
    long all = attempts();
    long delivered = attempts(Outcome.DELIVERED);
    return new WebhookSummary(webhookId, all, delivered, all - delivered, deadLetters, lastSuccessAt(),
        lastFailureAt(), latency.percentile(0.95));
  }

  public void clear() {
    Arrays.fill(attempts, 0);
    latency.clear();
    deadLetters = 0;
    lastSuccessAt = NONE;
    lastFailureAt = NONE;
  }
}
