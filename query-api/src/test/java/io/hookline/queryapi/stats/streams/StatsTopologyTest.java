package io.hookline.queryapi.stats.streams;

import static io.hookline.queryapi.AttemptSamples.attempt;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.queryapi.TopologyUnderTest;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.stats.domain.StatsAggregate;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The statistics in the query views' topology, written and read back with TopologyTestDriver (no broker). */
class StatsTopologyTest {

  private static final long T = TopologyUnderTest.T;
  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;
  private static final String PORTAL = "portal";
  private static final String WEBHOOK = "19367000000120011";

  private final TopologyUnderTest views = new TopologyUnderTest();
  private final WindowStore<String, byte[]> minutes = views.driver().getWindowStore(StatsTopology.MINUTE_STORE);
  private final WindowStore<String, byte[]> hours = views.driver().getWindowStore(StatsTopology.HOUR_STORE);
  private final StatsReader reader = new StatsReader(minutes, hours, T,
      TopologyUnderTest.STATS_RETENTION.toMillis());

  @AfterEach
  void stop() {
    views.close();
  }

  private static Attempt sample(String execution, int number, AttemptStatus status, long createdAt) {
    return attempt(PORTAL, WEBHOOK, execution, number, status, "conversation.created", createdAt);
  }

  private StatsTotals totals(long from, long to) {
    return reader.totals(WEBHOOK, from, to);
  }

  @Test
  void anAttemptWrittenTwiceCountsOnce() {
    Attempt a = sample("x", 1, AttemptStatus.ERROR, T - 10 * MINUTE);
    views.write(a);
    views.write(a);
    views.write(sample("x", 2, AttemptStatus.SENT, T - 5 * MINUTE));

    StatsTotals totals = totals(T - HOUR, T);
    assertThat(totals.attempts()).isEqualTo(2);
    assertThat(totals.attemptsByOutcome()).containsEntry(Outcome.HTTP_ERROR, 1L).containsEntry(Outcome.DELIVERED, 1L);
    assertThat(totals.lastFailureAt()).isEqualTo(T - 10 * MINUTE);
    assertThat(totals.lastSuccessAt()).isEqualTo(T - 5 * MINUTE);
  }

  @Test
  void aLateAttemptLandsInItsOwnMinuteAndOneOlderThanTheRetentionIsIgnored() {
    views.write(sample("new", 1, AttemptStatus.SENT, T - MINUTE));
    views.write(sample("late", 1, AttemptStatus.TIMEOUT, T - 3 * HOUR + 30_000));
    views.write(sample("ancient", 1, AttemptStatus.ERROR, T - TopologyUnderTest.STATS_RETENTION.toMillis() - HOUR));

    List<StatsBucket> series = reader.series(WEBHOOK, T - 4 * HOUR, T, StatsInterval.MINUTE);
    assertThat(series).hasSize(240);
    StatsBucket late = series.get(60);
    assertThat(late.start()).isEqualTo(T - 3 * HOUR);
    assertThat(late.attemptsByOutcome()).containsEntry(Outcome.TIMEOUT, 1L);
    assertThat(late.p50LatencyMs()).isEqualTo(10_000);
    assertThat(series.get(239).delivered()).isEqualTo(1);
    assertThat(series.stream().mapToLong(StatsBucket::attempts).sum()).isEqualTo(2);
    assertThat(totals(0, T).attempts()).isEqualTo(2);
    try (WindowStoreIterator<byte[]> all = minutes.fetch(WEBHOOK, Instant.EPOCH, Instant.ofEpochMilli(T))) {
      assertThat(all).toIterable().hasSize(2);
    }
  }

  @Test
  void eachExecutionThatBecomesFailedIsOneDeadLetterInTheMinuteOfItsLastAttempt() {
    FailedExecution first = failed(PORTAL, WEBHOOK, "e1", "conversation.created", "1", T - 30 * MINUTE);
    views.write(first);
    views.write(first);
    views.write(failed(PORTAL, WEBHOOK, "e1", "conversation.created", "1", T - 20 * MINUTE));
    views.write(failed(PORTAL, WEBHOOK, "e2", "conversation.created", "2", T - 20 * MINUTE));
    FailedExecution resolved = failed(PORTAL, WEBHOOK, "e2", "conversation.created", "2", T - 10 * MINUTE);
    resolved.setState(FailedExecutionState.RESOLVED);
    views.write(resolved);
    views.write(failed(PORTAL, WEBHOOK, "e2", "conversation.created", "2", T - 5 * MINUTE));

    List<StatsBucket> series = reader.series(WEBHOOK, T - HOUR, T, StatsInterval.FIVE_MINUTES);
    assertThat(series).extracting(StatsBucket::deadLetters)
        .containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 1L, 0L, 0L, 1L);
    assertThat(series).allMatch(b -> b.attempts() == 0);
    assertThat(totals(T - HOUR, T).deadLetters()).isEqualTo(3);
  }

  @Test
  void theHoursAreTheSumOfTheirMinutesAndRangesReadEitherWayAgree() {
    Random random = new Random(11);
    AttemptStatus[] statuses = AttemptStatus.values();
    for (int i = 0; i < 500; i++) {
      long createdAt = T - 5 * HOUR + random.nextInt((int) (5 * HOUR));
      views.write(sample("e" + i, 1, statuses[random.nextInt(statuses.length)], createdAt));
    }

    for (long hour = T - 5 * HOUR; hour < T; hour += HOUR) {
      StatsAggregate fromMinutes = new StatsAggregate();
      try (WindowStoreIterator<byte[]> m = minutes.fetch(WEBHOOK, Instant.ofEpochMilli(hour),
          Instant.ofEpochMilli(hour + HOUR - 1))) {
        m.forEachRemaining(kv -> StatsAggregateSerde.mergeInto(kv.value, fromMinutes));
      }
      StatsAggregate stored = StatsAggregateSerde.decode(hours.fetch(WEBHOOK, hour));
      assertThat(stored.toTotals()).isEqualTo(fromMinutes.toTotals());
    }
    // A ragged range: 23 minutes of one hour, three whole hours, 17 minutes of the last.
    long from = T - 5 * HOUR + 37 * MINUTE;
    long to = T - HOUR + 17 * MINUTE;
    StatsAggregate expected = new StatsAggregate();
    try (WindowStoreIterator<byte[]> m = minutes.fetch(WEBHOOK, Instant.ofEpochMilli(from),
        Instant.ofEpochMilli(to - 1))) {
      m.forEachRemaining(kv -> StatsAggregateSerde.mergeInto(kv.value, expected));
    }
    assertThat(totals(from, to)).isEqualTo(expected.toTotals());
    // Up to the present: the current hour is read whole, as nothing in it is later than now.
    StatsAggregate untilNow = new StatsAggregate();
    try (WindowStoreIterator<byte[]> m = minutes.fetch(WEBHOOK, Instant.ofEpochMilli(from), Instant.ofEpochMilli(T))) {
      m.forEachRemaining(kv -> StatsAggregateSerde.mergeInto(kv.value, untilNow));
    }
    assertThat(totals(from, T + 1)).isEqualTo(untilNow.toTotals());
    assertThat(totals(T - 30 * MINUTE, T + 1).attempts()).isLessThan(totals(T - HOUR, T + 1).attempts());
    Map<String, WebhookSummary> overview = reader.summaries(List.of(WEBHOOK, "unknown"), from, to);
    assertThat(overview.get(WEBHOOK)).isEqualTo(expected.toSummary(WEBHOOK));
    assertThat(overview.get("unknown")).isEqualTo(WebhookSummary.empty("unknown"));

    List<StatsBucket> hourly = reader.series(WEBHOOK, from, to, StatsInterval.HOUR);
    List<StatsBucket> byMinute = reader.series(WEBHOOK, from, to, StatsInterval.MINUTE);
    assertThat(hourly).hasSize(5);
    assertThat(hourly.get(0).start()).isEqualTo(T - 5 * HOUR);
    for (StatsBucket step : hourly) {
      long sum = byMinute.stream().filter(b -> b.start() >= step.start() && b.start() < step.start() + HOUR)
          .mapToLong(StatsBucket::attempts).sum();
      assertThat(step.attempts()).isEqualTo(sum);
    }
    assertThat(hourly.stream().mapToLong(StatsBucket::attempts).sum()).isEqualTo(expected.attempts());
    assertThat(reader.series(WEBHOOK, from, to, StatsInterval.DAY)).singleElement()
        .satisfies(day -> assertThat(day.attempts()).isEqualTo(expected.attempts()));
  }

  @Test
  void storedAggregatesRoundTripAndForeignBytesAreRefused() {
    StatsAggregate a = new StatsAggregate();
    a.recordAttempt(Outcome.CIRCUIT_OPEN, 0, T);
    a.recordAttempt(Outcome.DELIVERED, 123_456, T - 1);
    a.recordDeadLetter();

    StatsAggregate back = StatsAggregateSerde.decode(StatsAggregateSerde.encode(a));

    assertThat(back.toTotals()).isEqualTo(a.toTotals());
    assertThat(back.latency().min()).isZero();
    assertThat(back.latency().max()).isEqualTo(123_456);
    assertThat(StatsAggregateSerde.encode(new StatsAggregate())).hasSizeLessThan(16);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> StatsAggregateSerde.decode(new byte[] {9, 1, 2}));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> StatsAggregateSerde.decode(new byte[] {1, 2}));
  }
}
