package io.hookline.queryapi;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.view.streams.QueryViewsTopology;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The query views' whole topology ({@link QueryViewsTopology}) on a {@link TopologyTestDriver}, no
 * broker: the dead-letter and attempts topics to write to, the stores to read, a wall clock that
 * starts at {@link #START}, and a state folder of its own that {@link #close} deletes.
 */
public final class TopologyUnderTest implements AutoCloseable {

  public static final HooklineTopics TOPICS = new HooklineTopics(TopicSettings.defaults(), RetrySchedule.defaults());
  public static final Duration RETENTION = Duration.ofDays(30);
  public static final Duration STATS_RETENTION = Duration.ofDays(7);
  public static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  /** The driver's start time in epoch milliseconds. */
  public static final long T = START.toEpochMilli();
  /** The oldest time the views keep at {@link #START}. */
  public static final long OLDEST_KEPT = T - RETENTION.toMillis();

  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, FailedExecution> deadLetter;
  private final TestInputTopic<String, Attempt> attempts;

  public TopologyUnderTest() {
    stateDir = StateDirs.fresh();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-views-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(QueryViewsTopology.build(TOPICS, RETENTION, STATS_RETENTION), props, START);
    deadLetter = driver.createInputTopic(TOPICS.deadLetter().name(), new StringSerializer(),
        AvroSerde.of(FailedExecution.class).serializer());
    attempts = driver.createInputTopic(TOPICS.attempts().name(), new StringSerializer(),
        AvroSerde.of(Attempt.class).serializer());
  }

  /** Writes {@code f} to the dead-letter topic, keyed by its webhook as the dispatcher does. */
  public void write(FailedExecution f) {
    deadLetter.pipeInput(f.getWebhookId(), f);
  }

  /** Writes {@code a} to the attempts topic, keyed by its webhook as the dispatcher does. */
  public void write(Attempt a) {
    attempts.pipeInput(a.getWebhookId(), a);
  }

  public <K, V> KeyValueStore<K, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  /** Moves the wall clock on, running the punctuators that come due. */
  public void advance(Duration by) {
    driver.advanceWallClockTime(by);
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.close();
    StateDirs.delete(stateDir);
  }
}
