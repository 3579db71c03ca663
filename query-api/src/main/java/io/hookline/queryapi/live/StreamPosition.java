package io.hookline.queryapi.live;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A position in the stream of failure changes: for each partition of the dead-letter topic, the
 * offset of the next record not yet taken into account. Partitions it does not name (a topic that
 * gained partitions) are at offset 0, their beginning. Immutable.
 *
 * <p>Its text form, the SSE event id a client sends back as {@code Last-Event-ID}, is the offsets
 * of partitions 0, 1, 2, ... in base 36, separated by dots: {@code "2s.0.1b"} is partition 0 at
 * 100, partition 1 at 0, partition 2 at 47. Compact, and the same on every query-api instance.
 */
public final class StreamPosition {

  /** More partitions than any topic of Hookline has; guards against absurd header values. */
  static final int MAX_PARTITIONS = 10_000;
  private static final int RADIX = 36;
  private static final StreamPosition START = new StreamPosition(new long[0]);

  private final long[] next;

  private StreamPosition(long[] next) {
    this.next = next;
  }

  /** The position whose partition {@code p} is at {@code next[p]}. */
  public static StreamPosition of(long... next) {
    for (long offset : next) {
      if (offset < 0) {
        throw new IllegalArgumentException("offsets must not be negative: " + Arrays.toString(next));
      }
    }
    return new StreamPosition(next.clone());
  }

  /** Every partition at its beginning. */
  public static StreamPosition start() {
    return START;
  }

  /**
   * The position written by {@link #encode()}.
   *
   * @throws IllegalArgumentException when {@code text} is not one
   */
  public static StreamPosition parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("it is empty");
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length > MAX_PARTITIONS) {
      throw new IllegalArgumentException("it names more than " + MAX_PARTITIONS + " partitions");
    }
    long[] next = new long[parts.length];
    for (int p = 0; p < parts.length; p++) {
      next[p] = offset(parts[p]);
    }
    return new StreamPosition(next);
  }

  private static long offset(String part) {
    if (part.isEmpty() || part.length() > 13 || !part.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
      throw new IllegalArgumentException("'" + part + "' is not an offset in base 36");
    }
    try {
      return Long.parseLong(part, RADIX);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + part + "' is not an offset in base 36");
    }
  }

  /** The text form: base-36 offsets of partitions 0, 1, ... separated by dots. */
  public String encode() {
    StringJoiner text = new StringJoiner(".");
    for (long offset : next) {
      text.add(Long.toString(offset, RADIX));
    }
    return text.toString();
  }

  /** The partitions this position names (those after them are at 0). */
  public int partitions() {
    return next.length;
  }

  /** The next offset of {@code partition}; 0 for a partition this position does not name. */
  public long next(int partition) {
    return partition < next.length ? next[partition] : 0;
  }

  /** This position with {@code partition} at {@code offset}. */
  public StreamPosition with(int partition, long offset) {
    long[] copy = Arrays.copyOf(next, Math.max(next.length, partition + 1));
    copy[partition] = offset;
    return new StreamPosition(copy);
  }

  /** Per partition, the further of this position and {@code other}. */
  public StreamPosition max(StreamPosition other) {
    long[] copy = Arrays.copyOf(next, Math.max(next.length, other.next.length));
    for (int p = 0; p < copy.length; p++) {
      copy[p] = Math.max(copy[p], other.next(p));
    }
    return new StreamPosition(copy);
  }

  /** Whether some partition of {@code other} is further than in this position. */
  public boolean isBehind(StreamPosition other) {
    for (int p = 0; p < other.next.length; p++) {
      if (next(p) < other.next[p]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamPosition other && Arrays.equals(trimmed(), other.trimmed());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(trimmed());
  }

  /** The offsets without trailing zeros, which name nothing more than the beginning. */
  private long[] trimmed() {
    int length = next.length;
    while (length > 0 && next[length - 1] == 0) {
      length--;
    }
    return Arrays.copyOf(next, length);
  }

  @Override
  public String toString() {
    return encode();
  }
}
