package io.hookline.queryapi.failedexecutions.streams;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static io.hookline.queryapi.FailedExecutionSamples.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.TestTokens;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One failed execution by id through the execution-id index (what "retry now" reads), no broker. */
class FailedExecutionLookupTest {

  private static final HooklineTopics TOPICS =
      new HooklineTopics(TopicSettings.defaults(), RetrySchedule.parse("60s,60s,60s"));
  private static final Duration RETENTION = Duration.ofDays(30);
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final long T = START.toEpochMilli();

  private TopologyTestDriver driver;
  private TestInputTopic<String, FailedExecution> deadLetter;
  private KeyValueStore<Bytes, FailedExecution> failures;
  private KeyValueStore<String, Bytes> executionKeys;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "failed-execution-lookup-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, TestTokens.freshStateDir());
    driver = new TopologyTestDriver(FailedExecutionsTopology.build(TOPICS, RETENTION), props, START);
    deadLetter = driver.createInputTopic(TOPICS.deadLetter().name(), new StringSerializer(),
        AvroSerde.of(FailedExecution.class).serializer());
    failures = driver.getKeyValueStore(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE);
    executionKeys = driver.getKeyValueStore(FailedExecutionsTopology.EXECUTION_KEYS_STORE);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void write(FailedExecution f) {
    deadLetter.pipeInput(f.getWebhookId(), f);
  }

  private Optional<FailedExecution> find(String webhook, String execution) {
    return FailedExecutionsQueries.lookup(executionKeys, failures, webhook, execution, T - RETENTION.toMillis());
  }

  @Test
  void findsTheLatestFailureOfAnExecutionOfThatWebhookOnly() {
    write(failed("zylker", "w1", "e1", T - 2_000));
    write(FailedExecution.newBuilder(failed("zylker", "w1", "e1", T - 1_000)).setNumberOfRetries(4).build());
    write(failed("zylker", "w2", "e2", T - 1_000));

    assertThat(find("w1", "e1")).hasValueSatisfying(f -> {
      assertThat(f.getNumberOfRetries()).isEqualTo(4);
      assertThat(f.getLastExecutionTime()).isEqualTo(T - 1_000);
    });
    assertThat(find("w2", "e1")).as("another webhook's execution").isEmpty();
    assertThat(find("w1", "e2")).isEmpty();
    assertThat(find("w1", "unknown")).isEmpty();
  }

  @Test
  void aResolvedExecutionOrOneOlderThanTheRetentionIsNotFound() {
    FailedExecution delivered = failed("zylker", "w1", "delivered", T - 2_000);
    write(delivered);
    write(resolved(delivered, T - 1_000));
    write(failed("zylker", "w1", "old", T - RETENTION.toMillis() - 1));

    assertThat(find("w1", "delivered")).isEmpty();
    assertThat(find("w1", "old")).isEmpty();
  }
}
