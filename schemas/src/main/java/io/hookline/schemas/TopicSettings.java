package io.hookline.schemas;

import java.time.Duration;
import java.util.Objects;

/**
 * How Hookline's topics are named and created.
 *
 * @param prefix prepended to every topic name ({@code hookline.} by default)
 * @param partitions partitions of every topic; all records of one webhook share one partition
 * @param replicationFactor replication of every topic (1 on a single broker)
 * @param retention how long records of the event, attempt, retry and dead-letter topics are kept
 * @param minInsyncReplicas {@code min.insync.replicas} of every topic: how many replicas must hold a
 *     record before an {@code acks=all} write (every Hookline producer's) is acknowledged
 * @param schemaRegistry the schema registry whose wire format the Avro topics use, or null for Avro
 *     single-object encoding (no registry)
 */
public record TopicSettings(
    String prefix, int partitions, short replicationFactor, Duration retention, short minInsyncReplicas,
    SchemaRegistryClient schemaRegistry) {

  public static final String DEFAULT_PREFIX = "hookline.";
  public static final int DEFAULT_PARTITIONS = 6;
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  public TopicSettings {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(retention, "retention");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be >= 1, was " + replicationFactor);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException("min.insync.replicas must be 1.." + replicationFactor
          + " (the replication factor), was " + minInsyncReplicas);
    }
  }

  /** Settings without a schema registry. */
  public TopicSettings(String prefix, int partitions, short replicationFactor, Duration retention, short minInsyncReplicas) {
    this(prefix, partitions, replicationFactor, retention, minInsyncReplicas, null);
  }

  /** Settings whose {@code min.insync.replicas} is {@link #defaultMinInsyncReplicas(short)}. */
  public TopicSettings(String prefix, int partitions, short replicationFactor, Duration retention) {
    this(prefix, partitions, replicationFactor, retention, defaultMinInsyncReplicas(replicationFactor));
  }

  /**
   * The {@code min.insync.replicas} that keeps Hookline writing while any one broker is down and
   * asks for two copies whenever three exist: 1 for a replication factor of 1 or 2, otherwise 2.
   * (With 2 of 2 required, every rolling restart would stop the writes to the restarted broker's
   * partitions.)
   */
  public static short defaultMinInsyncReplicas(short replicationFactor) {
    return (short) Math.max(1, Math.min(2, replicationFactor - 1));
  }

  public static TopicSettings defaults() {
    return new TopicSettings(DEFAULT_PREFIX, DEFAULT_PARTITIONS, (short) 1, DEFAULT_RETENTION);
  }

  public TopicSettings withPartitions(int n) {
    return new TopicSettings(prefix, n, replicationFactor, retention, minInsyncReplicas, schemaRegistry);
  }

  public TopicSettings withPrefix(String p) {
    return new TopicSettings(p, partitions, replicationFactor, retention, minInsyncReplicas, schemaRegistry);
  }

  public TopicSettings withReplication(short factor, short minInsync) {
    return new TopicSettings(prefix, partitions, factor, retention, minInsync, schemaRegistry);
  }

  /** These settings with the Avro topics in the wire format of {@code registry} (null: none). */
  public TopicSettings withSchemaRegistry(SchemaRegistryClient registry) {
    return new TopicSettings(prefix, partitions, replicationFactor, retention, minInsyncReplicas, registry);
  }
}
