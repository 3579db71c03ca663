package io.hookline.testing;

import io.hookline.schemas.HooklineTopics;
import io.hookline.runtime.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for tests, never a mock. Which one, in this order:
 *
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} when set: an existing broker (shared by every test class,
 *       so tests isolate themselves with a unique topic prefix, see {@link #uniquePrefix()});
 *   <li>Testcontainers ({@code apache/kafka}) when a Docker engine answers;
 *   <li>otherwise an in-JVM KRaft broker ({@code KafkaClusterTestKit}), ready in about 2 s.
 * </ol>
 *
 * {@code HOOKLINE_TEST_BROKER=embedded|testcontainers|external} forces a choice.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

  private final String bootstrapServers;
  private final AutoCloseable resource;
  private final String kind;

  private KafkaBroker(String bootstrapServers, AutoCloseable resource, String kind) {
    this.bootstrapServers = bootstrapServers;
    this.resource = resource;
    this.kind = kind;
  }

  public static KafkaBroker start() {
    String forced = System.getenv("HOOKLINE_TEST_BROKER");
    String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    try {
      if ("external".equals(forced) || (forced == null && external != null && !external.isBlank())) {
        if (external == null || external.isBlank()) {
          throw new IllegalStateException("HOOKLINE_TEST_BROKER=external needs KAFKA_BOOTSTRAP_SERVERS");
        }
        LOG.info("Using the broker at {}", external);
        return new KafkaBroker(external, () -> {}, "external");
      }
      if ("testcontainers".equals(forced) || (forced == null && dockerAnswers())) {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        return new KafkaBroker(container.getBootstrapServers(), container::stop, "testcontainers");
      }
      return embedded();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start a Kafka broker for tests: " + e.getMessage(), e);
    }
  }

  /** A broker (or cluster) at {@code bootstrapServers} that this object does not own: closing it stops nothing. */
  public static KafkaBroker external(String bootstrapServers) {
    return new KafkaBroker(bootstrapServers, () -> {}, "external");
  }

  private static boolean dockerAnswers() {
    String host = System.getenv("DOCKER_HOST");
    boolean socket = Files.exists(Path.of("/var/run/docker.sock"));
    if ((host == null || host.isBlank()) && !socket) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static KafkaBroker embedded() throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
        .build();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "3")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "3")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("auto.create.topics.enable", "false")
        .setConfigProp("num.partitions", "1")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    LOG.info("In-JVM KRaft broker ready at {}", cluster.bootstrapServers());
    return new KafkaBroker(cluster.bootstrapServers(), cluster, "embedded");
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** embedded, testcontainers or external. */
  public String kind() {
    return kind;
  }

  /** Client properties pointing at this broker. */
  public Map<String, Object> clientProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  public Admin admin() {
    return Admin.create(clientProps());
  }

  /** Creates every Hookline topic of the catalogue, as the services do at start-up. */
  public void createTopics(HooklineTopics topics) {
    try (Admin admin = admin()) {
      TopicProvisioner.ensureTopics(admin, topics, Duration.ofSeconds(30));
    }
  }

  /**
   * Returns once every partition of the given (just created) topics answers a ListOffsets from its
   * leader. Right after creation a broker may not host a partition yet, or not know the topic at
   * all; producing then starts with NOT_LEADER retries, and an idempotent producer can loop on
   * out-of-order sequences. So this asks again until every partition answers or the time is up.
   */
  public void awaitLeaders(Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
          admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()
              .forEach(d -> d.partitions().forEach(
                  p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
          admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Topics " + topics + " have no leader after " + timeout, e);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the leaders of " + topics, e);
        }
      }
    }
  }

  /** A topic prefix no other test uses, so tests can share an external broker. */
  public static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8) + ".hookline.";
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("Error stopping the {} broker", kind, e);
    }
  }
}
