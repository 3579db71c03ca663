package io.hookline.queryapi.attempts.streams;

import io.hookline.avro.Attempt;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
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
 * Adds the attempt log to the failed-executions topology: {@code hookline.attempts} into the
 * persistent (RocksDB, changelogged) store {@link #ATTEMPTS_STORE}, keyed by
 * {@link AttemptKeys} (webhook id, reversed created_at, execution id, attempt number), so a
 * webhook's attempts in a time range are one range scan, newest first (oldest first backwards).
 *
 * <p>The attempt indexer is also connected to the failed-executions store, which it never reads:
 * sharing a store puts both sources in one sub-topology, so the task of partition {@code p} holds
 * both stores for the webhooks whose id hashes to {@code p} on both topics (both are keyed by
 * webhook id with the default partitioner and have the same partition count). The instance that
 * owns a webhook therefore answers both its failures and its attempts. Attempts created before the
 * retention (the failed view's, {@code HOOKLINE_FAILED_RETENTION}) are purged by a wall-clock
 * punctuator, as in {@link FailedExecutionsTopology}; readers also leave them out. The same
 * attempt written twice (a producer retry) stays one entry, and only its first copy is forwarded
 * downstream ({@link #INDEXER}'s children see each attempt once).
 */
public final class AttemptLogTopology {

  public static final String ATTEMPTS_STORE = "attempts";

  static final String SOURCE = "attempts-source";
  /** The processor that indexes attempts; it forwards each attempt new to the log, keyed by webhook id. */
  public static final String INDEXER = "attempts-indexer";

  private AttemptLogTopology() {}

  /** Adds the attempt log to {@code topology}, which must already hold the failed-executions view. */
  public static Topology addTo(Topology topology, HooklineTopics topics, Duration retention) {
    var attempts = topics.attempts();
    topology.addSource(SOURCE, attempts.keySerde().deserializer(), attempts.valueSerde().deserializer(),
        attempts.name());
    topology.addProcessor(INDEXER, () -> new Indexer(retention), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ATTEMPTS_STORE), Serdes.Bytes(), AvroSerde.of(Attempt.class))
        .withCachingDisabled(), INDEXER);
    topology.connectProcessorAndStateStores(INDEXER, FailedExecutionsTopology.FAILED_EXECUTIONS_STORE);
    return topology;
  }

  private static final class Indexer implements Processor<String, Attempt, String, Attempt> {

    private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

    private final Duration retention;
    private ProcessorContext<String, Attempt> context;
    private KeyValueStore<Bytes, Attempt> attempts;

    Indexer(Duration retention) {
      this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, Attempt> context) {
      this.context = context;
      this.attempts = context.getStateStore(ATTEMPTS_STORE);
      context.schedule(FailedExecutionsTopology.purgeInterval(retention), PunctuationType.WALL_CLOCK_TIME,
          this::purge);
    }

    @Override
    public void process(Record<String, Attempt> record) {
      Attempt attempt = record.value();
      if (attempt == null) {
        LOG.warn("Ignoring an attempt record without a value (key {})", record.key());
        return;
      }
      Bytes key = AttemptKeys.key(attempt.getWebhookId(), attempt.getCreatedAt(), attempt.getExecutionId(),
          attempt.getAttempt());
      boolean fresh = attempts.get(key) == null;
      attempts.put(key, attempt);
      if (fresh) {
        context.forward(record);
      }
    }

    private void purge(long now) {
      long oldestKept = now - retention.toMillis();
      List<Bytes> expired = new ArrayList<>();
      try (KeyValueIterator<Bytes, Attempt> all = attempts.all()) {
        while (all.hasNext()) {
          KeyValue<Bytes, Attempt> entry = all.next();
          if (entry.value.getCreatedAt() < oldestKept) {
            expired.add(entry.key);
          }
        }
      }
      expired.forEach(attempts::delete);
      if (!expired.isEmpty()) {
        LOG.info("Purged {} attempts older than {}", expired.size(), retention);
      }
    }
  }
}
