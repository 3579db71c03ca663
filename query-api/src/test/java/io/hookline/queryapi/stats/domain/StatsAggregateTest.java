package io.hookline.queryapi.stats.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsAggregateTest {

  @Test
  void theDispatchersErrorCodesMapOntoOutcomes() {
    assertThat(Outcome.of("SENT", null)).isEqualTo(Outcome.DELIVERED);
    assertThat(Outcome.of("ERROR", "HTTP_ERROR")).isEqualTo(Outcome.HTTP_ERROR);
    assertThat(Outcome.of("TIMEOUT", "TIMEOUT")).isEqualTo(Outcome.TIMEOUT);
    assertThat(Outcome.of("TIMEOUT", null)).isEqualTo(Outcome.TIMEOUT);
    assertThat(Outcome.of("ERROR", "CONNECTION_ERROR")).isEqualTo(Outcome.CONNECTION_ERROR);
    assertThat(Outcome.of("ERROR", "CIRCUIT_OPEN")).isEqualTo(Outcome.CIRCUIT_OPEN);
    assertThat(Outcome.of("ERROR", "TARGET_REFUSED")).isEqualTo(Outcome.REFUSED);
    assertThat(Outcome.of("ERROR", "SECRET_UNAVAILABLE")).isEqualTo(Outcome.NOT_SENT);
    assertThat(Outcome.of("ERROR", "WEBHOOK_DELETED")).isEqualTo(Outcome.NOT_SENT);
    assertThat(Outcome.of("ERROR", "WEBHOOK_DISABLED")).isEqualTo(Outcome.NOT_SENT);
    assertThat(Outcome.of("ERROR", "SOMETHING_NEW")).isEqualTo(Outcome.NOT_SENT);
    assertThat(Outcome.of("ERROR", null)).isEqualTo(Outcome.NOT_SENT);
  }

  @Test
  void countsOutcomesDeadLettersAndTheLastSuccessAndFailure() {
    StatsAggregate a = new StatsAggregate();
    a.recordAttempt(Outcome.DELIVERED, 40, 1_000);
    a.recordAttempt(Outcome.DELIVERED, 40, 3_000);
    a.recordAttempt(Outcome.HTTP_ERROR, 80, 2_000);
    a.recordDeadLetter();

    StatsBucket bucket = a.toBucket(0, StatsInterval.MINUTE);
    assertThat(bucket.attempts()).isEqualTo(3);
    assertThat(bucket.delivered()).isEqualTo(2);
    assertThat(bucket.failures()).isEqualTo(1);
    assertThat(bucket.attemptsByOutcome()).containsEntry(Outcome.HTTP_ERROR, 1L).containsEntry(Outcome.TIMEOUT, 0L)
        .hasSize(Outcome.values().length);
    assertThat(bucket.deadLetters()).isEqualTo(1);
    assertThat(bucket.lastSuccessAt()).isEqualTo(3_000);
    assertThat(bucket.lastFailureAt()).isEqualTo(2_000);
    assertThat(bucket.p50LatencyMs()).isEqualTo(40);
    assertThat(bucket.p99LatencyMs()).isEqualTo(80);
    WebhookSummary summary = a.toSummary("w");
    assertThat(summary.successRate()).isEqualTo(2.0 / 3);
    assertThat(summary.p95LatencyMs()).isEqualTo(80);
  }

  @Test
  void mergedSpansAddUpAndKeepTheLatestTimes() {
    StatsAggregate first = new StatsAggregate();
    first.recordAttempt(Outcome.TIMEOUT, 10_000, 5_000);
    StatsAggregate second = new StatsAggregate();
    second.recordAttempt(Outcome.DELIVERED, 50, 1_000);
    second.recordDeadLetter();

    first.merge(second);

    StatsTotals totals = first.toTotals();
    assertThat(totals.attempts()).isEqualTo(2);
    assertThat(totals.failures()).isEqualTo(1);
    assertThat(totals.deadLetters()).isEqualTo(1);
    assertThat(totals.lastFailureAt()).isEqualTo(5_000);
    assertThat(totals.lastSuccessAt()).isEqualTo(1_000);
    assertThat(totals.p99LatencyMs()).isEqualTo(10_000);
    first.clear();
    assertThat(first.isEmpty()).isTrue();
    assertThat(first.toTotals().successRate()).isNull();
    assertThat(first.toTotals().p50LatencyMs()).isNull();
  }
}
