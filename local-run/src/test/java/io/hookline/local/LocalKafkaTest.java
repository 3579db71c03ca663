package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker of the local run: a real Kafka process whose data survives restarts. */
@IntegrationTest
class LocalKafkaTest {

  private static final String TOPIC = "hookline.events";

  @TempDir Path dataDir;

  private final List<LocalKafka> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(LocalKafka::kill);
  }

  @Test
  void servesClientsKeepsItsDataAcrossRestartsAndLeavesNoProcessBehind() throws Exception {
    LocalKafka kafka = start();
    String clusterId = Files.readString(dataDir.resolve("cluster-id")).trim();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
      assertThat(admin.describeConfigs(List.of(broker)).all().get().get(broker).get("auto.create.topics.enable").value())
          .as("topics are created explicitly by the services, never by a typo")
          .isEqualTo("false");
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
    String value = "{\"portal\":\"zylker\",\"id\":\"" + UUID.randomUUID() + "\"}";
    produce(kafka, value);
    assertThat(readAll(kafka)).containsExactly(value);

    assertThat(kafka.stop()).as("controlled shutdown on SIGTERM").isTrue();
    assertGone(kafka.pid());

    LocalKafka restarted = start();
    assertThat(Files.readString(dataDir.resolve("cluster-id")).trim()).isEqualTo(clusterId);
    assertThat(readAll(restarted)).as("records written before the restart").containsExactly(value);

    assertThat(restarted.stop()).isTrue();
    assertGone(restarted.pid());
  }

  private LocalKafka start() {
    LocalKafka kafka = LocalKafka.start(dataDir, 0);
    started.add(kafka);
    return kafka;
  }

  private static void produce(LocalKafka kafka, String value) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "zylker", value)).get();
    }
  }

  /** Every record of the topic, read from the beginning without a consumer group. */
  private static List<String> readAll(LocalKafka kafka) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static void assertGone(long pid) {
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }
}
