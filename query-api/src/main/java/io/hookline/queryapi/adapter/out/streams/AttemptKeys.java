package io.hookline.queryapi.adapter.out.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The byte layout of the attempt log's keys, chosen, like {@link FailedExecutionKeys}, so that one
 * RocksDB range scan returns one webhook's attempts in a time range, newest first:
 *
 * <pre>
 *   [4 bytes: length of the webhook id in UTF-8, big-endian]
 *   [the webhook id, UTF-8]
 *   [8 bytes: Long.MAX_VALUE - created_at, big-endian]
 *   [4 bytes: length of the execution id in UTF-8, big-endian]
 *   [the execution id, UTF-8]
 *   [4 bytes: attempt number, big-endian]
 * </pre>
 *
 * The part up to the reversed time is the same as in the failed-executions keys, so their range
 * bounds ({@link #lowerBound}, {@link #upperBound}) serve both. Every field has a fixed width or a
 * length in front, so two different attempts never share a key, and writing the same attempt again
 * (a retried write) replaces it instead of adding a second entry.
 */
final class AttemptKeys {

  private AttemptKeys() {}

  static Bytes key(String webhookId, long createdAt, String executionId, int attempt) {
    byte[] webhook = webhookId.getBytes(StandardCharsets.UTF_8);
    byte[] execution = executionId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + webhook.length + Long.BYTES + Integer.BYTES
            + execution.length + Integer.BYTES)
        .putInt(webhook.length)
        .put(webhook)
        .putLong(Long.MAX_VALUE - Math.max(0, createdAt))
        .putInt(execution.length)
        .put(execution)
        .putInt(attempt)
        .array());
  }

  /** How many bytes at the start of every key of {@code webhookId} name the webhook. */
  static int webhookPrefixLength(String webhookId) {
    return FailedExecutionKeys.webhookPrefixLength(webhookId);
  }

  /** The smallest key of the webhook's attempts created at or before {@code newest}. */
  static Bytes lowerBound(String webhookId, long newest) {
    return FailedExecutionKeys.lowerBound(webhookId, newest);
  }

  /** A bound above every key of the webhook's attempts created at or after {@code oldest}, below older ones. */
  static Bytes upperBound(String webhookId, long oldest) {
    return FailedExecutionKeys.upperBound(webhookId, oldest);
  }
}
