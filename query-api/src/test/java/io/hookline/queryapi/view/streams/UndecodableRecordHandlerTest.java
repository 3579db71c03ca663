package io.hookline.queryapi.view.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.AttemptSamples;
import io.hookline.queryapi.StateDirs;
import io.hookline.queryapi.attempts.streams.AttemptLogTopology;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.schemas.AvroSerde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import io.hookline.queryapi.TopologyUnderTest;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A record of the attempts or dead-letter topic that does not decode (random bytes, truncated Avro,
 * an unknown schema, a 1 GiB length claim) is copied to the invalid-records topic with its reason
 * and source, and the views go on with the next record.
 */
class UndecodableRecordHandlerTest {

  private static final HooklineTopics TOPICS = TopologyUnderTest.TOPICS;

  private static String header(Header h) {
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void undecodableAttemptsAndDeadLettersGoToTheInvalidTopicWithTheirReasonAndTheViewsGoOn() {
    Path stateDir = StateDirs.fresh();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "undecodable-records-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableRecordHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TOPICS.eventsInvalid().name());
    try (TopologyTestDriver driver = new TopologyTestDriver(QueryViewsTopology.build(TOPICS,
        TopologyUnderTest.RETENTION, TopologyUnderTest.STATS_RETENTION), props, TopologyUnderTest.START)) {
      TestInputTopic<byte[], byte[]> attempts = driver.createInputTopic(TOPICS.attempts().name(),
          new ByteArraySerializer(), new ByteArraySerializer());
      TestInputTopic<byte[], byte[]> deadLetter = driver.createInputTopic(TOPICS.deadLetter().name(),
          new ByteArraySerializer(), new ByteArraySerializer());
      byte[] key = "wh_1".getBytes(StandardCharsets.UTF_8);
      byte[] randomBytes = {0x13, 0x37, (byte) 0xFF, 0x00, 0x42};
      byte[] unknownSchema = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x02};
      byte[] gigabyteClaim = Arrays.copyOf(unknownSchema, 16);

      attempts.pipeInput(key, randomBytes);
      deadLetter.pipeInput(key, unknownSchema);
      attempts.pipeInput(null, gigabyteClaim);

      List<TestRecord<byte[], byte[]>> invalid = driver.createOutputTopic(TOPICS.eventsInvalid().name(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
      assertThat(invalid).hasSize(3);
      assertThat(invalid).extracting(TestRecord::value).containsExactly(randomBytes, unknownSchema, gigabyteClaim);
      assertThat(invalid).extracting(r -> header(r.headers().lastHeader(InvalidRecordHeaders.REASON)))
          .containsOnly("UNDECODABLE_AVRO");
      assertThat(invalid).extracting(r -> header(r.headers().lastHeader(InvalidRecordHeaders.SOURCE_TOPIC)))
          .containsExactly(TOPICS.attempts().name(), TOPICS.deadLetter().name(), TOPICS.attempts().name());
      assertThat(invalid).allSatisfy(r -> assertThat(header(r.headers().lastHeader(InvalidRecordHeaders.MESSAGE)))
          .isNotBlank());
      assertThat(invalid.get(0).key()).isEqualTo(key);

      io.hookline.avro.Attempt next = AttemptSamples.attempt("zylker", "wh_1", "ex-1", AttemptStatus.SENT, TopologyUnderTest.T);
      attempts.pipeInput(key, AvroSerde.of(io.hookline.avro.Attempt.class).encode(next));
      KeyValueStore<Bytes, io.hookline.avro.Attempt> store = driver.getKeyValueStore(AttemptLogTopology.ATTEMPTS_STORE);
      try (var all = store.all()) {
        assertThat(all).toIterable().extracting(kv -> kv.value.getExecutionId()).containsExactly("ex-1");
      }
    } finally {
      StateDirs.delete(stateDir);
    }
  }

  @Test
  void aDeadLetterWhoseSchemaTheUnreachableRegistryCannotGiveStopsTheViewsAndIsNotCopied() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HooklineTopics topics = new HooklineTopics(TOPICS.settings().withSchemaRegistry(
        new io.hookline.schemas.SchemaRegistryClient(new io.hookline.schemas.SchemaRegistryClient.Settings(
            "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7", null, null, null, java.time.Duration.ofSeconds(2)))),
        TOPICS.schedule());
    Path stateDir = StateDirs.fresh();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "registry-down-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableRecordHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.eventsInvalid().name());
    try (TopologyTestDriver driver = new TopologyTestDriver(QueryViewsTopology.build(topics,
        TopologyUnderTest.RETENTION, TopologyUnderTest.STATS_RETENTION), props, TopologyUnderTest.START)) {
      TestInputTopic<byte[], byte[]> deadLetter = driver.createInputTopic(topics.deadLetter().name(),
          new ByteArraySerializer(), new ByteArraySerializer());
      // The registry's wire format: a zero byte, schema id 7, then the Avro body (never read: the schema is not known).
      byte[] framed = {0x00, 0, 0, 0, 7, 0x02, 0x02};

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> deadLetter.pipeInput("wh_1".getBytes(
              StandardCharsets.UTF_8), framed))
          .as("the views stop on the record rather than skip it")
          .hasStackTraceContaining("127.0.0.1:" + closedPort);
      assertThat(driver.createOutputTopic(topics.eventsInvalid().name(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList()).as("not copied as undecodable").isEmpty();
      assertThat(topics.schemaRegistry().failures()).isPositive();
    } finally {
      StateDirs.delete(stateDir);
    }
  }
}
