package io.hookline.queryapi.attempts.streams;

import io.hookline.queryapi.view.streams.WebhookTimeKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The byte layout of the attempt log's keys, so that one RocksDB range scan returns one webhook's
 * attempts in a time range, newest first:
 *
 * <pre>
 *   [the webhook and the reversed created_at, as {@link WebhookTimeKeys} writes them]
 *   [4 bytes: length of the execution id in UTF-8, big-endian]
 *   [the execution id, UTF-8]
 *   [4 bytes: attempt number, big-endian]
 * </pre>
 *
 * Every field has a fixed width or a length in front, so two different attempts never share a key,
 * and writing the same attempt again (a retried write) replaces it instead of adding a second entry.
 */
final class AttemptKeys {

  private AttemptKeys() {}

  static Bytes key(String webhookId, long createdAt, String executionId, int attempt) {
    byte[] execution = executionId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(WebhookTimeKeys.start(webhookId, createdAt, Integer.BYTES + execution.length + Integer.BYTES)
        .putInt(execution.length)
        .put(execution)
        .putInt(attempt)
        .array());
  }
}
