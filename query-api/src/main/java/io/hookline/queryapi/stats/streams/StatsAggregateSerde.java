package io.hookline.queryapi.stats.streams;

import io.hookline.queryapi.stats.domain.LatencyHistogram;
import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.stats.domain.StatsAggregate;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The stored form of a {@link StatsAggregate}: compact and binary, since the stats stores hold one
 * value per webhook and minute (and hour). The stores keep the bytes themselves, and a read merges
 * them straight into one accumulator ({@link #mergeInto}) rather than building an aggregate per
 * minute: an overview of a thousand webhooks reads tens of thousands of values.
 *
 * <p>Layout: a version byte; the attempts of each {@link Outcome} in declaration order, the dead
 * letters, then the last success and last failure plus one (0 for none), as zig-zag varlongs;
 * then the number of non-empty latency buckets, and when there are some the smallest and largest
 * duration and each bucket as the gap to the previous bucket's index and its count. A value of
 * another version is refused, not misread.
 */
public final class StatsAggregateSerde {

  private static final byte VERSION = 1;
  private static final Outcome[] OUTCOMES = Outcome.values();
  /** Varints take at most 10 bytes; room for every field and every bucket. */
  private static final int MAX_BYTES = 1 + 10 * (OUTCOMES.length + 3 + 3 + 2 * LatencyHistogram.BUCKETS);

  private StatsAggregateSerde() {}

  public static byte[] encode(StatsAggregate aggregate) {
    ByteBuffer out = ByteBuffer.allocate(MAX_BYTES);
    out.put(VERSION);
    for (Outcome outcome : OUTCOMES) {
      ByteUtils.writeVarlong(aggregate.attempts(outcome), out);
    }
    ByteUtils.writeVarlong(aggregate.deadLetters(), out);
    ByteUtils.writeVarlong(plusOne(aggregate.lastSuccessAt()), out);
    ByteUtils.writeVarlong(plusOne(aggregate.lastFailureAt()), out);
    LatencyHistogram latency = aggregate.latency();
    int filled = 0;
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      if (latency.count(i) > 0) {
        filled++;
      }
    }
    ByteUtils.writeUnsignedVarint(filled, out);
    if (filled > 0) {
      ByteUtils.writeVarlong(latency.min(), out);
      ByteUtils.writeVarlong(latency.max(), out);
      int previous = 0;
      for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
        if (latency.count(i) > 0) {
          ByteUtils.writeUnsignedVarint(i - previous, out);
          ByteUtils.writeVarlong(latency.count(i), out);
          previous = i;
        }
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  public static StatsAggregate decode(byte[] bytes) {
    StatsAggregate aggregate = new StatsAggregate();
    mergeInto(bytes, aggregate);
    return aggregate;
  }

  /** Adds the aggregate stored as {@code bytes} to {@code into}; IllegalArgumentException when not one. */
  public static void mergeInto(byte[] bytes, StatsAggregate into) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      byte version = in.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("statistics of version " + version + ", expected " + VERSION);
      }
      for (Outcome outcome : OUTCOMES) {
        into.addAttempts(outcome, ByteUtils.readVarlong(in));
      }
      into.addDeadLetters(ByteUtils.readVarlong(in));
      long lastSuccess = ByteUtils.readVarlong(in);
      if (lastSuccess > 0) {
        into.observeLastSuccess(lastSuccess - 1);
      }
      long lastFailure = ByteUtils.readVarlong(in);
      if (lastFailure > 0) {
        into.observeLastFailure(lastFailure - 1);
      }
      int filled = ByteUtils.readUnsignedVarint(in);
      if (filled > 0) {
        LatencyHistogram latency = into.latency();
        latency.observeRange(ByteUtils.readVarlong(in), ByteUtils.readVarlong(in));
        int bucket = 0;
        for (int i = 0; i < filled; i++) {
          bucket += ByteUtils.readUnsignedVarint(in);
          latency.add(bucket, ByteUtils.readVarlong(in));
        }
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated statistics (" + bytes.length + " bytes)", e);
    }
  }

  private static long plusOne(Long time) {
    return time == null ? 0 : time + 1;
  }
}
