package io.hookline.queryapi.stats.peer;

import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How statistics travel between query-api instances: a series, a range's totals, the summaries of
 * an overview and the overview's question (its range and webhook ids). Binary, with a version byte
 * first, so an instance of another version fails loudly (the asking side then treats the peer as
 * unable to answer). Both sides use this class, so they cannot disagree.
 */
final class StatsWire {

  private static final byte VERSION = 1;
  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final int MAX_ITEMS = 1_000_000;

  private StatsWire() {}

  @FunctionalInterface
  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  static byte[] series(List<StatsBucket> buckets) {
    return write(out -> {
      out.writeInt(buckets.size());
      for (StatsBucket b : buckets) {
        out.writeLong(b.start());
        out.writeByte(b.interval().ordinal());
        writeCounts(out, b.attemptsByOutcome());
        out.writeLong(b.deadLetters());
        writeOptional(out, b.p50LatencyMs());
        writeOptional(out, b.p95LatencyMs());
        writeOptional(out, b.p99LatencyMs());
        writeOptional(out, b.lastSuccessAt());
        writeOptional(out, b.lastFailureAt());
      }
    });
  }

  static List<StatsBucket> readSeries(byte[] body) {
    return read(body, in -> {
      int count = count(in);
      List<StatsBucket> buckets = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long start = in.readLong();
        int interval = in.readByte();
        if (interval < 0 || interval >= StatsInterval.values().length) {
          throw new IllegalArgumentException("an interval of ordinal " + interval);
        }
        buckets.add(new StatsBucket(start, StatsInterval.values()[interval], readCounts(in), in.readLong(),
            readOptional(in), readOptional(in), readOptional(in), readOptional(in), readOptional(in)));
      }
      return buckets;
    });
  }

  static byte[] totals(StatsTotals t) {
    return write(out -> {
      writeCounts(out, t.attemptsByOutcome());
      out.writeLong(t.deadLetters());
      writeOptional(out, t.p50LatencyMs());
      writeOptional(out, t.p95LatencyMs());
      writeOptional(out, t.p99LatencyMs());
      writeOptional(out, t.lastSuccessAt());
      writeOptional(out, t.lastFailureAt());
    });
  }

  static StatsTotals readTotals(byte[] body) {
    return read(body, in -> new StatsTotals(readCounts(in), in.readLong(), readOptional(in), readOptional(in),
        readOptional(in), readOptional(in), readOptional(in)));
  }

  static byte[] summaries(Collection<WebhookSummary> summaries) {
    return write(out -> {
      out.writeInt(summaries.size());
      for (WebhookSummary s : summaries) {
        out.writeUTF(s.webhookId());
        out.writeLong(s.attempts());
        out.writeLong(s.delivered());
        out.writeLong(s.failures());
        out.writeLong(s.deadLetters());
        writeOptional(out, s.lastSuccessAt());
        writeOptional(out, s.lastFailureAt());
        writeOptional(out, s.p95LatencyMs());
      }
    });
  }

  static Map<String, WebhookSummary> readSummaries(byte[] body) {
    return read(body, in -> {
      int count = count(in);
      Map<String, WebhookSummary> summaries = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        WebhookSummary s = new WebhookSummary(in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong(), readOptional(in), readOptional(in), readOptional(in));
        summaries.put(s.webhookId(), s);
      }
      return summaries;
    });
  }

  /** The question of an overview: a range and the ids of the webhooks it is asked for. */
  record OverviewQuestion(long from, long to, List<String> webhookIds) {}

  static byte[] question(OverviewQuestion q) {
    return write(out -> {
      out.writeLong(q.from());
      out.writeLong(q.to());
      out.writeInt(q.webhookIds().size());
      for (String id : q.webhookIds()) {
        out.writeUTF(id);
      }
    });
  }

  static OverviewQuestion readQuestion(byte[] body) {
    return read(body, in -> {
      long from = in.readLong();
      long to = in.readLong();
      int count = count(in);
      List<String> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(in.readUTF());
      }
      return new OverviewQuestion(from, to, ids);
    });
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** What {@code reader} reads from {@code body}; IllegalArgumentException when the body is not that. */
  private static <T> T read(byte[] body, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("statistics of version " + version + ", expected " + VERSION);
      }
      T value = reader.read(in);
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " bytes after the statistics");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated statistics", e);
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_ITEMS) {
      throw new IllegalArgumentException("a list of " + count + " items");
    }
    return count;
  }

  private static void writeCounts(DataOutputStream out, Map<Outcome, Long> counts) throws IOException {
    for (Outcome outcome : OUTCOMES) {
      out.writeLong(counts.getOrDefault(outcome, 0L));
    }
  }

  private static Map<Outcome, Long> readCounts(DataInputStream in) throws IOException {
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    for (Outcome outcome : OUTCOMES) {
      counts.put(outcome, in.readLong());
    }
    return counts;
  }

  private static void writeOptional(DataOutputStream out, Long value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value);
    }
  }

  private static Long readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }
}
