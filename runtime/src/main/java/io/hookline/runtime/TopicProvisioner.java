package io.hookline.runtime;

import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Hookline's topics explicitly at start-up, so nothing depends on broker auto-creation
 * (whose partition count and cleanup policy would be wrong). Every topic is created with its
 * configs from the catalogue, {@code min.insync.replicas} included. Idempotent: every service calls
 * it, topics that exist are left as they are, and a topic that exists with other partitions, fewer
 * replicas or another {@code min.insync.replicas} than configured is reported, never silently used
 * as if it matched.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  public static void ensureTopics(Admin admin, Collection<Topic<?, ?>> topics, short replicationFactor, Duration timeout) {
    List<NewTopic> requests = new ArrayList<>();
    for (Topic<?, ?> t : topics) {
      requests.add(new NewTopic(t.name(), t.partitions(), replicationFactor).configs(Map.copyOf(t.configs())));
    }
    var results = admin.createTopics(requests).values();
    List<Topic<?, ?>> existing = new ArrayList<>();
    for (var entry : results.entrySet()) {
      try {
        entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Created topic {}", entry.getKey());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          topics.stream().filter(t -> t.name().equals(entry.getKey())).forEach(existing::add);
        } else {
          throw new IllegalStateException("Cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("Timed out creating topic " + entry.getKey() + " (is Kafka reachable?)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while creating topics", e);
      }
    }
    // Only topics that were there before can disagree with the configuration. Describing a topic
    // created a moment ago could race the propagation of its metadata, so those are not described.
    if (!existing.isEmpty()) {
      verifyPartitions(admin, existing, timeout);
      verifyReplication(admin, existing, replicationFactor, timeout);
    }
  }

  public static void ensureTopics(Admin admin, HooklineTopics catalogue, Duration timeout) {
    ensureTopics(admin, catalogue.all(), catalogue.settings().replicationFactor(), timeout);
  }

  private static void verifyPartitions(Admin admin, Collection<Topic<?, ?>> topics, Duration timeout) {
    Map<String, TopicDescription> described = describe(admin, topics, timeout);
    for (Topic<?, ?> t : topics) {
      int actual = described.get(t.name()).partitions().size();
      if (actual != t.partitions()) {
        LOG.warn("Topic {} has {} partitions, configuration says {}; keeping the existing {}",
            t.name(), actual, t.partitions(), actual);
      }
    }
  }

  /**
   * Names existing topics with fewer replicas than configured (a partition with fewer is reported
   * by its smallest replica count) or another {@code min.insync.replicas}: they do not survive the
   * broker losses the configuration promises.
   */
  private static void verifyReplication(Admin admin, Collection<Topic<?, ?>> topics, short replicationFactor, Duration timeout) {
    Map<String, TopicDescription> described = describe(admin, topics, timeout);
    List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
    Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all(), timeout, "describe the configs of");
    for (Topic<?, ?> t : topics) {
      int replicas = described.get(t.name()).partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
      if (replicas < replicationFactor) {
        LOG.warn("Topic {} has {} replicas, configuration says {}; keeping the existing {} (reassign its partitions to add replicas)",
            t.name(), replicas, replicationFactor, replicas);
      }
      String wanted = t.configs().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
      ConfigEntry actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()))
          .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
      if (wanted != null && actual != null && !wanted.equals(actual.value())) {
        LOG.warn("Topic {} has min.insync.replicas={}, configuration says {}; keeping the existing {}",
            t.name(), actual.value(), wanted, actual.value());
      }
    }
  }

  private static Map<String, TopicDescription> describe(Admin admin, Collection<Topic<?, ?>> topics, Duration timeout) {
    Set<String> names = new java.util.LinkedHashSet<>();
    topics.forEach(t -> names.add(t.name()));
    return await(admin.describeTopics(names).allTopicNames(), timeout, "describe");
  }

  private static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while trying to " + what + " Hookline topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot " + what + " Hookline topics: " + e.getMessage(), e);
    }
  }
}
