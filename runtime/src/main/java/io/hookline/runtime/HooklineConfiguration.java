package io.hookline.runtime;

import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.SchemaRegistryClient;
import io.hookline.schemas.TopicSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.Objects;

/**
 * The keys every Hookline service shares, bound from {@code hookline.*}: the Kafka cluster, the topic
 * catalogue and the retry schedule. All services must agree on them, so they are declared here once;
 * each service's own configuration type binds only its own keys under the same prefix. Defaults
 * live in this class and are documented in {@code hookline-shared.yml} beside it, which every
 * service loads ({@link SharedPropertySourceLoader}); each key can be overridden by its environment
 * variable ({@code HOOKLINE_TOPIC_PREFIX} sets {@code hookline.topic-prefix}).
 */
@ConfigurationProperties(HooklineConfiguration.PREFIX)
public class HooklineConfiguration {

  /** The prefix of every Hookline configuration key. */
  public static final String PREFIX = "hookline";

  private String kafkaBootstrapServers = "127.0.0.1:9092";
  private String topicPrefix = TopicSettings.DEFAULT_PREFIX;
  private int topicPartitions = TopicSettings.DEFAULT_PARTITIONS;
  private short topicReplicationFactor = 1;
  private Duration topicRetention = TopicSettings.DEFAULT_RETENTION;
  private String retryDelays = RetrySchedule.DEFAULT_DELAYS;
  private boolean metricsEnabled = true;
  private boolean metricsPerWebhook = false;
  /** Unset: derived from the replication factor ({@link TopicSettings#defaultMinInsyncReplicas}). */
  private Short topicMinIsr;
  private GroupMembership groupMembership = GroupMembership.dynamic();
  private String schemaRegistryUrl = "";
  private String schemaRegistryUsername = "";
  private String schemaRegistryPassword = "";
  private String schemaRegistryBearerToken = "";
  private Duration schemaRegistryTimeout = Duration.ofSeconds(30);
  /** One client per configuration, so its caches serve every topic catalogue built from it. */
  private SchemaRegistryClient schemaRegistry;

  /**
   * The topic names, partitions, replication, {@code min.insync.replicas} and retention these keys
   * describe, or an error naming the keys when the minimum in-sync replicas exceed the replication.
   */
  public TopicSettings topicSettings() {
    short minIsr = getTopicMinIsr();
    if (minIsr > topicReplicationFactor) {
      throw new IllegalArgumentException(PREFIX + ".topic-min-isr (HOOKLINE_TOPIC_MIN_ISR) must be at most "
          + PREFIX + ".topic-replication-factor (" + topicReplicationFactor + "), was " + minIsr);
    }
    return new TopicSettings(topicPrefix, topicPartitions, topicReplicationFactor, topicRetention, minIsr,
        schemaRegistry());
  }

  /** The schema registry the Avro topics use, or null when {@code hookline.schema-registry-url} is empty. */
  public synchronized SchemaRegistryClient schemaRegistry() {
    if (schemaRegistryUrl.isBlank()) {
      return null;
    }
    if (schemaRegistry == null) {
      schemaRegistry = new SchemaRegistryClient(new SchemaRegistryClient.Settings(schemaRegistryUrl.trim(),
          blankToNull(schemaRegistryUsername), blankToNull(schemaRegistryPassword),
          blankToNull(schemaRegistryBearerToken), schemaRegistryTimeout));
    }
    return schemaRegistry;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  /** The retry schedule, or an error naming the key when its value does not parse. */
  public RetrySchedule retrySchedule() {
    try {
      return RetrySchedule.parse(retryDelays);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hookline.retry-delays (HOOKLINE_RETRY_DELAYS): " + e.getMessage(), e);
    }
  }

  /** The topic catalogue every service reads and writes. */
  public HooklineTopics topics() {
    return new HooklineTopics(topicSettings(), retrySchedule());
  }

  /** Kafka bootstrap servers, {@code host:port[,host:port...]}. */
  public String getKafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  public void setKafkaBootstrapServers(String kafkaBootstrapServers) {
    this.kafkaBootstrapServers = Objects.requireNonNull(kafkaBootstrapServers, "hookline.kafka-bootstrap-servers");
  }

  /** Prefix of every topic name ({@code hookline.events}, {@code hookline.attempts}, ...). */
  public String getTopicPrefix() {
    return topicPrefix;
  }

  public void setTopicPrefix(String topicPrefix) {
    this.topicPrefix = Objects.requireNonNull(topicPrefix, "hookline.topic-prefix");
  }

  /** Partitions of every topic created at start-up; all records of one webhook share one. */
  public int getTopicPartitions() {
    return topicPartitions;
  }

  public void setTopicPartitions(int topicPartitions) {
    this.topicPartitions = ConfigurationChecks.atLeastOne("topic-partitions", topicPartitions);
  }

  /** Replication of every topic created at start-up. */
  public short getTopicReplicationFactor() {
    return topicReplicationFactor;
  }

  public void setTopicReplicationFactor(short topicReplicationFactor) {
    ConfigurationChecks.atLeastOne("topic-replication-factor", topicReplicationFactor);
    this.topicReplicationFactor = topicReplicationFactor;
  }

  /**
   * {@code min.insync.replicas} of every topic created at start-up: the replicas that must hold a
   * record before an {@code acks=all} write is acknowledged. Unless set: 1 for a replication factor
   * of 1 or 2, otherwise 2.
   */
  public short getTopicMinIsr() {
    return topicMinIsr != null ? topicMinIsr : TopicSettings.defaultMinInsyncReplicas(topicReplicationFactor);
  }

  public void setTopicMinIsr(short topicMinIsr) {
    ConfigurationChecks.atLeastOne("topic-min-isr", topicMinIsr);
    this.topicMinIsr = topicMinIsr;
  }

  /** How long events, attempts, retries and failed executions are kept. */
  public Duration getTopicRetention() {
    return topicRetention;
  }

  public void setTopicRetention(Duration topicRetention) {
    this.topicRetention = ConfigurationChecks.positive("topic-retention", topicRetention);
  }

  /** Delays between attempts, one retry per entry ({@code 60s,60s,60s}); empty for no retries. */
  public String getRetryDelays() {
    return retryDelays;
  }

  public void setRetryDelays(String retryDelays) {
    this.retryDelays = retryDelays == null ? "" : retryDelays;
  }

  /** Whether the service keeps metrics and serves them at {@code /metrics} (off: nothing is counted). */
  public boolean isMetricsEnabled() {
    return metricsEnabled;
  }

  public void setMetricsEnabled(boolean metricsEnabled) {
    this.metricsEnabled = metricsEnabled;
  }

  /**
   * Whether delivery metrics also carry a {@code webhook} label: one series per webhook, so only
   * where the number of webhooks is small and bounded.
   */
  public boolean isMetricsPerWebhook() {
    return metricsPerWebhook;
  }

  public void setMetricsPerWebhook(boolean metricsPerWebhook) {
    this.metricsPerWebhook = metricsPerWebhook;
  }

  /**
   * This instance's id in its service's consumer groups ({@code group.instance.id}): unique per
   * running instance of a service, stable across its restarts; empty (the default) for dynamic
   * membership. See {@link GroupMembership}.
   */
  public String getInstanceId() {
    return groupMembership.instanceId().orElse("");
  }

  public void setInstanceId(String instanceId) {
    this.groupMembership = GroupMembership.of(instanceId);
  }

  /** Static membership under the instance id, or dynamic membership when none is set. */
  public GroupMembership groupMembership() {
    return groupMembership;
  }

  /**
   * The schema registry's API base URL (Confluent, Redpanda, Karapace, or Apicurio's
   * {@code /apis/ccompat/v7}); empty (the default) for none: Avro single-object encoding.
   */
  public String getSchemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public synchronized void setSchemaRegistryUrl(String schemaRegistryUrl) {
    this.schemaRegistryUrl = schemaRegistryUrl == null ? "" : schemaRegistryUrl;
    this.schemaRegistry = null;
  }

  /** Basic-auth user for the schema registry; empty for none. */
  public String getSchemaRegistryUsername() {
    return schemaRegistryUsername;
  }

  public synchronized void setSchemaRegistryUsername(String schemaRegistryUsername) {
    this.schemaRegistryUsername = schemaRegistryUsername == null ? "" : schemaRegistryUsername;
    this.schemaRegistry = null;
  }

  /** Basic-auth password for the schema registry. */
  public String getSchemaRegistryPassword() {
    return schemaRegistryPassword;
  }

  public synchronized void setSchemaRegistryPassword(String schemaRegistryPassword) {
    this.schemaRegistryPassword = schemaRegistryPassword == null ? "" : schemaRegistryPassword;
    this.schemaRegistry = null;
  }

  /** Bearer token for the schema registry (used when no user is set); empty for none. */
  public String getSchemaRegistryBearerToken() {
    return schemaRegistryBearerToken;
  }

  public synchronized void setSchemaRegistryBearerToken(String schemaRegistryBearerToken) {
    this.schemaRegistryBearerToken = schemaRegistryBearerToken == null ? "" : schemaRegistryBearerToken;
    this.schemaRegistry = null;
  }

  /**
   * How long one registry call (register a schema, look one up) keeps asking a registry that does
   * not answer before the write or read fails.
   */
  public Duration getSchemaRegistryTimeout() {
    return schemaRegistryTimeout;
  }

  public synchronized void setSchemaRegistryTimeout(Duration schemaRegistryTimeout) {
    this.schemaRegistryTimeout = ConfigurationChecks.positive("schema-registry-timeout", schemaRegistryTimeout);
    this.schemaRegistry = null;
  }
}
