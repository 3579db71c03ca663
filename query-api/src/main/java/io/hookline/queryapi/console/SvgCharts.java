package io.hookline.queryapi.console;

import io.hookline.queryapi.stats.domain.StatsBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The geometry of the console's charts, drawn by the server as inline SVG (no chart script): a
 * sparkline of deliveries and failures per step, bars of deliveries and failures per step, and lines
 * of latency percentiles. Coordinates are in the chart's own viewBox; the page scales it to its width.
 * Each chart comes with a one-sentence summary for its {@code <title>}/{@code <desc>}, and the pages
 * show the numbers as a table too, so nothing is only in the picture.
 */
public final class SvgCharts {

  private SvgCharts() {}

  /** A sparkline: {@code delivered} and {@code failed} as polyline points, and what they say. */
  public record Sparkline(int width, int height, String delivered, String failed, String summary) {}

  /** One bar of a bar chart: delivered stacked under failed, with the step's label. */
  public record Bar(double x, double width, double deliveredY, double deliveredHeight, double failedY,
      double failedHeight, String label) {}

  /** Bars of deliveries and failures per step. */
  public record Bars(int width, int height, List<Bar> bars, long max, String firstLabel, String lastLabel,
      String summary) {}

  /** Latency lines (p50, p95, p99) as polyline points. */
  public record Lines(int width, int height, String p50, String p95, String p99, long max, String summary) {}

  public static Sparkline sparkline(List<StatsBucket> buckets, int width, int height) {
    long max = Math.max(1, buckets.stream().mapToLong(b -> Math.max(b.delivered(), b.failures())).max().orElse(0));
    long delivered = buckets.stream().mapToLong(StatsBucket::delivered).sum();
    long failed = buckets.stream().mapToLong(StatsBucket::failures).sum();
    String summary = delivered + " delivered and " + failed + " failed attempts in " + buckets.size()
        + " steps; busiest step " + max;
    return new Sparkline(width, height, points(buckets, StatsBucket::delivered, max, width, height),
        points(buckets, StatsBucket::failures, max, width, height), summary);
  }

  public static Bars bars(List<StatsBucket> buckets, int width, int height) {
    long max = Math.max(1, buckets.stream().mapToLong(StatsBucket::attempts).max().orElse(0));
    double step = buckets.isEmpty() ? width : (double) width / buckets.size();
    double gap = step > 4 ? 1 : 0;
    List<Bar> bars = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      StatsBucket b = buckets.get(i);
      double deliveredHeight = height * (double) b.delivered() / max;
      double failedHeight = height * (double) b.failures() / max;
      double deliveredY = height - deliveredHeight;
      bars.add(new Bar(round(i * step), round(step - gap), round(deliveredY), round(deliveredHeight),
          round(deliveredY - failedHeight), round(failedHeight), ConsoleFormat.shortTime(b.start())));
    }
    long delivered = buckets.stream().mapToLong(StatsBucket::delivered).sum();
    long failed = buckets.stream().mapToLong(StatsBucket::failures).sum();
    String first = buckets.isEmpty() ? "" : ConsoleFormat.shortTime(buckets.get(0).start());
    String last = buckets.isEmpty() ? "" : ConsoleFormat.shortTime(buckets.get(buckets.size() - 1).start());
    return new Bars(width, height, bars, max, first, last,
        delivered + " delivered and " + failed + " failed attempts from " + first + " to " + last + " UTC");
  }

  public static Lines latency(List<StatsBucket> buckets, int width, int height) {
    long max = Math.max(1, buckets.stream()
        .mapToLong(b -> b.p99LatencyMs() == null ? 0 : b.p99LatencyMs()).max().orElse(0));
    Long worstP95 = buckets.stream().map(StatsBucket::p95LatencyMs).filter(v -> v != null)
        .max(Long::compare).orElse(null);
    String summary = worstP95 == null ? "No attempts, so no latency, in this range"
        : "Highest p95 latency " + ConsoleFormat.millis(worstP95) + ", highest p99 " + ConsoleFormat.millis(max);
    return new Lines(width, height, points(buckets, StatsBucket::p50LatencyMs, max, width, height),
        points(buckets, StatsBucket::p95LatencyMs, max, width, height),
        points(buckets, StatsBucket::p99LatencyMs, max, width, height), max, summary);
  }

  /** Polyline points of {@code value} per bucket, steps without a value left out. */
  private static String points(List<StatsBucket> buckets, Function<StatsBucket, Long> value, long max, int width,
      int height) {
    StringBuilder points = new StringBuilder();
    double step = buckets.size() > 1 ? (double) width / (buckets.size() - 1) : 0;
    for (int i = 0; i < buckets.size(); i++) {
      Long v = value.apply(buckets.get(i));
      if (v == null) {
        continue;
      }
      double x = buckets.size() > 1 ? i * step : width / 2.0;
      double y = height - 1 - (height - 2) * (double) v / max;
      if (points.length() > 0) {
        points.append(' ');
      }
      points.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    return points.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
