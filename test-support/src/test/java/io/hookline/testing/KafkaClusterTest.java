package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hookline.runtime.TopicProvisioner;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link KafkaCluster} itself: three brokers and three separate controllers, topics created with
 * replication 3 and {@code min.insync.replicas=2}, and records produced with {@code acks=all}
 * that all come back while a broker is stopped, after it is started again on its port, and after
 * the active controller is stopped (a new topic then proves the new controller serves metadata).
 */
@IntegrationTest
class KafkaClusterTest {

  private static KafkaCluster cluster;

  @BeforeAll
  static void start() {
    cluster = KafkaCluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void createsHooklineTopicsReplicatedWithMinInsyncReplicasAndNamesAnUnderReplicatedOne() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    HooklineTopics topics = new HooklineTopics(
        TopicSettings.defaults().withPrefix(prefix).withPartitions(2).withReplication((short) 3, (short) 2),
        RetrySchedule.parse("1s"));
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger provisioner = (Logger) LoggerFactory.getLogger(TopicProvisioner.class);
    log.start();
    provisioner.addAppender(log);
    try (Admin admin = cluster.admin()) {
      // One topic of the catalogue exists already, with one replica (as a single-broker start made it).
      admin.createTopics(List.of(new NewTopic(topics.events().name(), 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
      cluster.createTopics(topics);

      Map<String, TopicDescription> described = admin.describeTopics(List.of(topics.attempts().name(), topics.events().name()))
          .allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(described.get(topics.attempts().name()).partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      ConfigResource attempts = new ConfigResource(ConfigResource.Type.TOPIC, topics.attempts().name());
      assertThat(admin.describeConfigs(List.of(attempts)).all().get(30, TimeUnit.SECONDS).get(attempts)
          .get("min.insync.replicas").value()).isEqualTo("2");
    } finally {
      provisioner.detachAppender(log);
    }
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).startsWith("Topic " + prefix + "events has 1 replicas, configuration says 3"))
        .anySatisfy(m -> assertThat(m).startsWith("Topic " + prefix + "events has min.insync.replicas=1, configuration says 2"))
        .noneSatisfy(m -> assertThat(m).contains(prefix + "attempts"));
  }

  @Test
  void keepsEveryAcknowledgedRecordThroughABrokerStopItsRestartAndAControllerFailover() throws Exception {
    String topic = KafkaBroker.uniquePrefix() + "failover";
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
          .all().get(30, TimeUnit.SECONDS);
    }
    assertThat(cluster.brokerIds()).hasSize(3);
    assertThat(cluster.controllerIds()).hasSize(3).doesNotContainAnyElementsOf(cluster.brokerIds());
    Set<String> sent = new HashSet<>();
    Map<String, Object> producerProps = new HashMap<>(cluster.clientProps());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      send(producer, topic, "before", sent);

      // The broker leading partition 0 goes away; the other two keep the ISR at its minimum of 2.
      int leader = leaderOfPartitionZero(topic);
      int port = cluster.brokerPort(leader);
      cluster.stopBroker(leader);
      send(producer, topic, "one-broker-down", sent);
      assertThat(leaderOfPartitionZero(topic)).isNotEqualTo(leader);

      cluster.startBroker(leader);
      assertThat(cluster.brokerPort(leader)).isEqualTo(port);
      cluster.awaitFullIsr(List.of(topic), Duration.ofSeconds(60));
      send(producer, topic, "restarted", sent);

      int active = cluster.activeControllerId();
      assertThat(cluster.stopActiveController()).isEqualTo(active);
      assertThat(cluster.activeControllerId()).isNotEqualTo(active).isIn(cluster.controllerIds());
      send(producer, topic, "controller-failed-over", sent);
      try (Admin admin = cluster.admin()) {
        admin.createTopics(List.of(new NewTopic(topic + ".after", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
      }
    }

    Map<String, Object> consumerProps = new HashMap<>(cluster.clientProps());
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
    List<String> received = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await("every record read back").atMost(Duration.ofSeconds(60))
          .until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
            return received.size() >= sent.size();
          });
    }
    assertThat(received).hasSize(sent.size()).containsExactlyInAnyOrderElementsOf(sent);
  }

  /** Sends 200 records and waits for every acknowledgement. */
  private static void send(KafkaProducer<String, String> producer, String topic, String phase, Set<String> sent) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String value = phase + "-" + i;
      acks.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i), value)));
      sent.add(value);
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(60, TimeUnit.SECONDS);
    }
  }

  private static int leaderOfPartitionZero(String topic) throws Exception {
    try (Admin admin = cluster.admin()) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().get(0).leader().id();
    }
  }
}
