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
 */
public record TopicSettings(String prefix, int partitions, short replicationFactor, Duration retention) {

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
  }

  public static TopicSettings defaults() {
    return new TopicSettings(DEFAULT_PREFIX, DEFAULT_PARTITIONS, (short) 1, DEFAULT_RETENTION);
  }

  public TopicSettings withPartitions(int n) {
    return new TopicSettings(prefix, n, replicationFactor, retention);
  }

  public TopicSettings withPrefix(String p) {
    return new TopicSettings(p, partitions, replicationFactor, retention);
  }
}
