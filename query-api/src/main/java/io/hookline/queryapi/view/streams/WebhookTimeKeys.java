package io.hookline.queryapi.view.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The start every view key shares, so that one RocksDB range scan returns one webhook's entries in
 * a time range, newest first:
 *
 * <pre>
 *   [4 bytes: length of the webhook id in UTF-8, big-endian]
 *   [the webhook id, UTF-8]
 *   [8 bytes: Long.MAX_VALUE - time, big-endian]
 *   [what the view adds to tell entries of one time apart]
 * </pre>
 *
 * The length prefix makes every webhook's section of the key space unique, for any id (no id's
 * prefix can be another id's prefix), and the reversed time sorts newer entries first under
 * RocksDB's unsigned lexicographic byte order. Times below zero are stored as zero.
 */
public final class WebhookTimeKeys {

  private WebhookTimeKeys() {}

  /** A buffer of {@code rest} bytes more than the webhook and time part, filled up to that part. */
  public static ByteBuffer start(String webhookId, long time, int rest) {
    byte[] id = webhookId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Integer.BYTES + id.length + Long.BYTES + rest)
        .putInt(id.length)
        .put(id)
        .putLong(reversed(time));
  }

  /** How many bytes at the start of every key of {@code webhookId} name the webhook. */
  public static int webhookPrefixLength(String webhookId) {
    return Integer.BYTES + webhookId.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The smallest key of the webhook's entries at or before {@code newest} (inclusive). */
  public static Bytes lowerBound(String webhookId, long newest) {
    return Bytes.wrap(start(webhookId, newest, 0).array());
  }

  /**
   * A bound greater than every key of the webhook's entries at or after {@code oldest} and smaller
   * than every key of older entries: the reversed time of one millisecond before, with nothing after
   * it (every real key has more, so none equals it). At {@code oldest <= 0} it is {@code 0x8000...},
   * above every reversed non-negative time.
   */
  public static Bytes upperBound(String webhookId, long oldest) {
    ByteBuffer key = start(webhookId, 0, 0);
    return Bytes.wrap(key.putLong(key.position() - Long.BYTES, reversed(oldest) + 1).array());
  }

  private static long reversed(long time) {
    return Long.MAX_VALUE - Math.max(0, time);
  }
}
