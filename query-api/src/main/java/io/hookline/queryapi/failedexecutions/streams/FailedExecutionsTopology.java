package io.hookline.queryapi.failedexecutions.streams;

import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the topology of the failed-executions view: {@code hookline.dead-letter} into two
 * persistent (RocksDB, changelogged) stores.
 *
 * <ul>
 *   <li>{@link #FAILED_EXECUTIONS_STORE}: {@link FailedExecutionKeys composite key} (webhook id,
 *       reversed last_execution_time, execution id) to the failed execution, so a webhook's
 *       failures in a time range are one range scan, newest first.
 *   <li>{@link #EXECUTION_KEYS_STORE}: execution id to its current composite key, so a later record
 *       of the same execution replaces the older entry, and a {@code RESOLVED} record removes it.
 * </ul>
 *
 * Entries whose last_execution_time is older than the retention are purged by a wall-clock
 * punctuator every {@link #purgeInterval(Duration)} (readers also filter them out). Both stores
 * are updated by the same processor in the same task, so with exactly-once processing they never
 * disagree after a crash. Caching is off, so interactive queries see a record as soon as it is
 * processed.
 */
public final class FailedExecutionsTopology {

  public static final String FAILED_EXECUTIONS_STORE = "failed-executions";
  public static final String EXECUTION_KEYS_STORE = "failed-execution-keys";

  static final String SOURCE = "dead-letter-source";
  /**
   * The processor that indexes dead letters; it forwards each execution that becomes FAILED (is not
   * failed in the view yet), keyed by webhook id, and nothing else.
   */
  public static final String INDEXER = "failed-executions-indexer";

  private FailedExecutionsTopology() {}

  /** The topology for this catalogue; failures older than {@code retention} are purged. */
  public static Topology build(HooklineTopics topics, Duration retention) {
    var deadLetter = topics.deadLetter();
    Topology topology = new Topology();
    topology.addSource(SOURCE, deadLetter.keySerde().deserializer(), deadLetter.valueSerde().deserializer(),
        deadLetter.name());
    topology.addProcessor(INDEXER, () -> new Indexer(retention), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(FAILED_EXECUTIONS_STORE), Serdes.Bytes(), AvroSerde.of(FailedExecution.class))
        .withCachingDisabled(), INDEXER);
    topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(EXECUTION_KEYS_STORE), Serdes.String(), Serdes.Bytes())
        .withCachingDisabled(), INDEXER);
    return topology;
  }

  /** How often the purge runs: a tenth of the retention, between one minute and one hour. */
  public static Duration purgeInterval(Duration retention) {
    Duration tenth = retention.dividedBy(10);
    if (tenth.compareTo(Duration.ofMinutes(1)) < 0) {
      return Duration.ofMinutes(1);
    }
    return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
  }

  private static final class Indexer implements Processor<String, FailedExecution, String, FailedExecution> {

    private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

    private final Duration retention;
    private ProcessorContext<String, FailedExecution> context;
    private KeyValueStore<Bytes, FailedExecution> failures;
    private KeyValueStore<String, Bytes> executionKeys;

    Indexer(Duration retention) {
      this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, FailedExecution> context) {
      this.context = context;
      this.failures = context.getStateStore(FAILED_EXECUTIONS_STORE);
      this.executionKeys = context.getStateStore(EXECUTION_KEYS_STORE);
      context.schedule(purgeInterval(retention), PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, FailedExecution> record) {
      FailedExecution failure = record.value();
      if (failure == null) {
        LOG.warn("Ignoring a dead-letter record without a value (key {})", record.key());
        return;
      }
      String executionId = failure.getExecutionId();
      Bytes previous = executionKeys.get(executionId);
      if (previous != null) {
        failures.delete(previous);
      }
      if (failure.getState() == FailedExecutionState.RESOLVED) {
        executionKeys.delete(executionId);
        return;
      }
      Bytes key = FailedExecutionKeys.key(failure.getWebhookId(), failure.getLastExecutionTime(), executionId);
      failures.put(key, failure);
      executionKeys.put(executionId, key);
      if (previous == null) {
        context.forward(record);
      }
    }

    private void purge(long now) {
      long oldestKept = now - retention.toMillis();
      List<KeyValue<Bytes, String>> expired = new ArrayList<>();
      try (KeyValueIterator<Bytes, FailedExecution> all = failures.all()) {
        while (all.hasNext()) {
          KeyValue<Bytes, FailedExecution> entry = all.next();
          if (entry.value.getLastExecutionTime() < oldestKept) {
            expired.add(KeyValue.pair(entry.key, entry.value.getExecutionId()));
          }
        }
      }
      for (KeyValue<Bytes, String> entry : expired) {
        failures.delete(entry.key);
        executionKeys.delete(entry.value);
      }
      if (!expired.isEmpty()) {
        LOG.info("Purged {} failed executions older than {}", expired.size(), retention);
      }
    }
  }
}
