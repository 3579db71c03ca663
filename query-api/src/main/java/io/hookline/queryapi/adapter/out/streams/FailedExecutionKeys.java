package io.hookline.queryapi.adapter.out.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The byte layout of the failed-executions store's keys, chosen so that one RocksDB range scan
 * returns one webhook's failures in a time range, newest first:
 *
 * <pre>
 *   [4 bytes: length of the webhook id in UTF-8, big-endian]
 *   [the webhook id, UTF-8]
 *   [8 bytes: Long.MAX_VALUE - last_execution_time, big-endian]
 *   [the execution id, UTF-8]
 * </pre>
 *
 * The length prefix makes every webhook's section of the key space unique, for any id (no id's
 * prefix can be another id's prefix), and the reversed time sorts newer entries first under
 * RocksDB's unsigned lexicographic byte order. Times below zero are stored as zero.
 */
final class FailedExecutionKeys {

  private FailedExecutionKeys() {}

  static Bytes key(String webhookId, long lastExecutionTime, String executionId) {
    byte[] prefix = webhookPrefix(webhookId);
    byte[] execution = executionId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(prefix.length + Long.BYTES + execution.length)
        .put(prefix)
        .putLong(reversed(lastExecutionTime))
        .put(execution)
        .array());
  }

  /** How many bytes at the start of every key of {@code webhookId} name the webhook. */
  static int webhookPrefixLength(String webhookId) {
    return Integer.BYTES + webhookId.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The smallest key of the webhook's entries at or before {@code newest} (inclusive). */
  static Bytes lowerBound(String webhookId, long newest) {
    return withTime(webhookId, reversed(newest));
  }

  /**
   * A bound greater than every key of the webhook's entries at or after {@code oldest} and smaller
   * than every key of older entries: the reversed time of one millisecond before, with no execution
   * id (every real key has one, so none equals it). At {@code oldest <= 0} it is {@code 0x8000...},
   * above every reversed non-negative time.
   */
  static Bytes upperBound(String webhookId, long oldest) {
    return withTime(webhookId, reversed(oldest) + 1);
  }

  private static Bytes withTime(String webhookId, long reversedTime) {
    byte[] prefix = webhookPrefix(webhookId);
    return Bytes.wrap(ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(reversedTime).array());
  }

  private static byte[] webhookPrefix(String webhookId) {
    byte[] id = webhookId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Integer.BYTES + id.length).putInt(id.length).put(id).array();
  }

  private static long reversed(long time) {
    return Long.MAX_VALUE - Math.max(0, time);
  }
}
