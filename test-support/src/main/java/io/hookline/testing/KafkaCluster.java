package io.hookline.testing;

import io.hookline.runtime.TopicProvisioner;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real replicated Kafka cluster in this JVM: three brokers and a separate quorum of three KRaft
 * controllers ({@code KafkaClusterTestKit}), with the internal topics (consumer offsets,
 * transaction state) replicated three times and {@code min.insync.replicas=2} on the transaction
 * log. Tests stop and start brokers and stop the active controller while clients run.
 *
 * <p>Why in-process: six nodes as child JVMs would cost a 2-core CI machine about 1.5 GB and a JVM
 * start-up each; here they share one heap. A stopped node is the same {@code BrokerServer} object
 * started again: its {@code SharedServer} rebuilds the raft client and metrics on start, the data
 * directories stay, and the test kit's pre-bound socket factory re-binds the listener to the port
 * it had, so clients reconnect to the address they know. A stop is a clean shutdown (controlled:
 * leadership moves away first), not a crash; a crash of a whole JVM is what the services' SIGKILL
 * tests cover.
 */
public final class KafkaCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);
  public static final int BROKERS = 3;
  public static final int CONTROLLERS = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;
  private final Set<Integer> stoppedBrokers = new TreeSet<>();
  private final Set<Integer> stoppedControllers = new TreeSet<>();

  private KafkaCluster(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    // Taken once: a stopped broker has no bound port, but its address stays valid for clients.
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /** Formats and starts three brokers and three controllers; returns once every broker is registered. */
  public static KafkaCluster start() {
    try {
      TestKitNodes nodes = new TestKitNodes.Builder()
          .setCombined(false)
          .setNumBrokerNodes(BROKERS)
          .setNumControllerNodes(CONTROLLERS)
          .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
          .build();
      KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
          .setConfigProp("offsets.topic.replication.factor", "3")
          .setConfigProp("offsets.topic.num.partitions", "3")
          .setConfigProp("transaction.state.log.replication.factor", "3")
          .setConfigProp("transaction.state.log.min.isr", "2")
          .setConfigProp("transaction.state.log.num.partitions", "3")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("auto.create.topics.enable", "false")
          .setConfigProp("num.partitions", "1")
          // Six nodes share this JVM and two cores: fewer threads each than a production broker.
          .setConfigProp("num.network.threads", "2")
          .setConfigProp("num.io.threads", "4")
          .setConfigProp("background.threads", "2")
          .build();
      try {
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
      } catch (Exception e) {
        kit.close();
        throw e;
      }
      KafkaCluster cluster = new KafkaCluster(kit);
      LOG.info("Kafka cluster ready: brokers {} at {}, controllers {}", cluster.brokerIds(), cluster.bootstrapServers,
          kit.controllers().keySet());
      return cluster;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start a 3-broker Kafka cluster: " + e.getMessage(), e);
    }
  }

  /** Every broker's address, stopped ones included (clients skip those they cannot reach). */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Client properties pointing at the cluster. */
  public Map<String, Object> clientProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  public Admin admin() {
    return Admin.create(clientProps());
  }

  /**
   * The cluster seen as one {@link KafkaBroker} (its bootstrap servers), for code written against
   * that type; closing it leaves the cluster running.
   */
  public KafkaBroker asBroker() {
    return KafkaBroker.external(bootstrapServers);
  }

  /** Creates every topic of the catalogue with its replication and {@code min.insync.replicas}, as the services do. */
  public void createTopics(HooklineTopics topics) {
    try (Admin admin = admin()) {
      TopicProvisioner.ensureTopics(admin, topics, TIMEOUT);
    }
  }

  public Set<Integer> brokerIds() {
    return new TreeSet<>(cluster.brokers().keySet());
  }

  public Set<Integer> controllerIds() {
    return new TreeSet<>(cluster.controllers().keySet());
  }

  /** The port of the broker's client listener (the same before a stop and after the start). */
  public int brokerPort(int brokerId) {
    String listener = cluster.nodes().brokerListenerName().value();
    return broker(brokerId).boundPort(ListenerName.normalised(listener));
  }

  /**
   * Stops one broker cleanly (controlled shutdown: the controller moves its leaderships and drops it
   * from every ISR) and returns once it is down.
   */
  public synchronized void stopBroker(int brokerId) {
    BrokerServer broker = broker(brokerId);
    if (!stoppedBrokers.add(brokerId)) {
      throw new IllegalStateException("broker " + brokerId + " is already stopped");
    }
    long start = System.nanoTime();
    broker.shutdown();
    broker.awaitShutdown();
    LOG.info("Stopped broker {} in {} ms", brokerId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /**
   * Starts a stopped broker again, on the same port with the same data, and returns once the
   * controller has it registered and unfenced (its replicas then catch up; see {@link #awaitFullIsr}).
   */
  public synchronized void startBroker(int brokerId) {
    BrokerServer broker = broker(brokerId);
    if (!stoppedBrokers.remove(brokerId)) {
      throw new IllegalStateException("broker " + brokerId + " is not stopped");
    }
    long start = System.nanoTime();
    broker.startup();
    try (Admin admin = admin()) {
      Awaitility.await("broker " + brokerId + " back in the cluster").atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id)
              .anyMatch(id -> id == brokerId));
    }
    LOG.info("Started broker {} again on port {} in {} ms", brokerId, brokerPort(brokerId),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** Waits until every partition of {@code topics} has all its replicas in sync again. */
  public void awaitFullIsr(List<String> topics, Duration timeout) {
    try (Admin admin = admin()) {
      Awaitility.await("every replica of " + topics + " in sync").atMost(timeout)
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
            return described.values().stream().flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.isr().size() == p.replicas().size());
          });
    }
  }

  /** The node id of the active (leader) controller, as the metadata quorum reports it to clients. */
  public int activeControllerId() {
    try (Admin admin = admin()) {
      return quorum(admin).leaderId();
    }
  }

  /**
   * Stops the active controller and returns its id once another controller has been elected leader
   * of the metadata quorum.
   */
  public synchronized int stopActiveController() {
    try (Admin admin = admin()) {
      int active = quorum(admin).leaderId();
      ControllerServer controller = cluster.controllers().get(active);
      if (controller == null || !stoppedControllers.add(active)) {
        throw new IllegalStateException("no running controller " + active + " in " + controllerIds());
      }
      long start = System.nanoTime();
      controller.shutdown();
      int[] next = new int[1];
      Awaitility.await("a new active controller after " + active).atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> {
            next[0] = quorum(admin).leaderId();
            return next[0] >= 0 && next[0] != active;
          });
      LOG.info("Stopped active controller {}; controller {} leads after {} ms", active, next[0],
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return active;
    }
  }

  private static QuorumInfo quorum(Admin admin) {
    try {
      return admin.describeMetadataQuorum().quorumInfo().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing the metadata quorum", e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot describe the metadata quorum: " + e.getMessage(), e);
    }
  }

  private BrokerServer broker(int brokerId) {
    BrokerServer broker = cluster.brokers().get(brokerId);
    if (broker == null) {
      throw new IllegalArgumentException("no broker " + brokerId + " in " + brokerIds());
    }
    return broker;
  }

  /** Stops every node (stopped ones are skipped) and deletes the data directories. */
  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      // Faults the nodes recorded while others were down (the test kit rethrows the first one):
      // worth a look in the log, but the tests judge what clients saw.
      LOG.warn("Kafka cluster closed with a recorded fault", e);
    }
  }

  /** The brokers and controllers stopped and not started again, for messages. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("brokers " + brokerIds() + " (stopped " + stoppedBrokers + ")");
    parts.add("controllers " + controllerIds() + " (stopped " + stoppedControllers + ")");
    return "KafkaCluster[" + String.join(", ", parts) + "]";
  }
}
