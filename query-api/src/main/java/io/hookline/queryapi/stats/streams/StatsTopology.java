package io.hookline.queryapi.stats.streams;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.view.streams.CheckpointedWindowStores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds the delivery statistics to the query views' topology: two window stores keyed by webhook id
 * (persistent RocksDB, changelogged, no cache), {@link #MINUTE_STORE} with one
 * {@link StatsRollups aggregate} per webhook and minute and {@link #HOUR_STORE} with one per
 * webhook and hour, so a day is read as 24 hours plus the minutes at its ends.
 *
 * <p>The counters are children of the two indexers, which forward only what is new to their view:
 * an attempt not yet in the attempt log, an execution newly FAILED in the failed-executions view.
 * So an attempt or dead letter written twice (a producer retry) is counted once, and with
 * exactly-once processing a crash neither loses nor repeats a count. Each record lands in the minute
 * of its own time (an attempt's created_at, a dead letter's last_execution_time), not of stream
 * time, so a late record still counts in its minute; one older than the retention is ignored.
 * Retention is the window stores' own: whole segments are dropped as they age out. The counters
 * share the indexers' sub-topology, so the owner of a webhook owns its statistics too.
 */
public final class StatsTopology {

  public static final String MINUTE_STORE = "stats-minutes";
  public static final String HOUR_STORE = "stats-hours";

  static final String ATTEMPTS_COUNTER = "stats-attempts-counter";
  static final String DEAD_LETTERS_COUNTER = "stats-dead-letters-counter";

  private StatsTopology() {}

  /**
   * Adds the counters under {@code attemptsIndexer} (forwarding each new attempt) and
   * {@code deadLetterIndexer} (forwarding each newly failed execution), keeping {@code retention}.
   */
  public static Topology addTo(Topology topology, String attemptsIndexer, String deadLetterIndexer,
      Duration retention) {
    topology.addProcessor(ATTEMPTS_COUNTER, () -> new AttemptCounter(retention), attemptsIndexer);
    topology.addProcessor(DEAD_LETTERS_COUNTER, () -> new DeadLetterCounter(retention), deadLetterIndexer);
    topology.addStateStore(Stores.windowStoreBuilder(
            CheckpointedWindowStores.persistent(MINUTE_STORE, retention, StatsRollups.MINUTE, false),
            Serdes.String(), Serdes.ByteArray())
        .withCachingDisabled(), ATTEMPTS_COUNTER, DEAD_LETTERS_COUNTER);
    // An hour that began up to an hour before the oldest kept minute still holds kept minutes.
    topology.addStateStore(Stores.windowStoreBuilder(
            CheckpointedWindowStores.persistent(HOUR_STORE, retention.plus(StatsRollups.HOUR), StatsRollups.HOUR, false),
            Serdes.String(), Serdes.ByteArray())
        .withCachingDisabled(), ATTEMPTS_COUNTER, DEAD_LETTERS_COUNTER);
    return topology;
  }

  private static final class AttemptCounter implements Processor<String, Attempt, Void, Void> {

    private final Duration retention;
    private StatsRollups rollups;

    AttemptCounter(Duration retention) {
      this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      rollups = new StatsRollups(context, retention);
    }

    @Override
    public void process(Record<String, Attempt> record) {
      Attempt attempt = record.value();
      Outcome outcome = Outcome.of(attempt.getStatus().name(), attempt.getErrorCode());
      long createdAt = attempt.getCreatedAt();
      rollups.add(attempt.getWebhookId(), createdAt,
          aggregate -> aggregate.recordAttempt(outcome, attempt.getDurationMs(), createdAt));
    }
  }

  private static final class DeadLetterCounter implements Processor<String, FailedExecution, Void, Void> {

    private final Duration retention;
    private StatsRollups rollups;

    DeadLetterCounter(Duration retention) {
      this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      rollups = new StatsRollups(context, retention);
    }

    @Override
    public void process(Record<String, FailedExecution> record) {
      FailedExecution failure = record.value();
      rollups.add(failure.getWebhookId(), failure.getLastExecutionTime(), aggregate -> aggregate.recordDeadLetter());
    }
  }
}
