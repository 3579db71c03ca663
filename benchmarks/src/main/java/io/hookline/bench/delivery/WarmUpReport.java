package io.hookline.bench.delivery;

import io.hookline.bench.BenchChart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The warm-up scenario's figures: for each contender started cold, the p50 and p99 of each second's
 * events at the fixed rate from its first event, the worst p99 from the {@link #SETTLED_FROM}th
 * second on, and the first second from which every p99 stays within {@link #P99_TARGET_MS}; as a
 * table and as two charts (p99 and p50 per second).
 */
final class WarmUpReport {

  /** Per-second p99 allowed from {@link #SETTLED_FROM} on (issue goal: 10 ms from the 3rd second). */
  static final double P99_TARGET_MS = 10;
  /** The first second (1-based, from the first event) the target applies to. */
  static final int SETTLED_FROM = 3;

  /** Takes a verdict: whether a target was met, and what it says. */
  interface Verdicts {
    void verdict(boolean met, String what);
  }

  private WarmUpReport() {}

  static void append(StringBuilder out, DeliverySettings settings, List<ContenderRun.WarmUp> runs, Verdicts verdicts) {
    if (runs.isEmpty()) {
      return;
    }
    out.append(String.format(Locale.ROOT, "%nWarm-up: each contender in a JVM started for this scenario, no warm-up burst: "
            + "%,d events/s for %d s from its first event (Kafka contenders: produced once their consumer group has "
            + "every input partition); p50 / p99 ms of each second's events%n%n", settings.rate(),
        settings.warmupDuration().toSeconds()));
    int seconds = runs.stream().mapToInt(r -> r.p99PerSecond().length).max().orElse(0);
    out.append(String.format(Locale.ROOT, "| %6s |", "second"));
    runs.forEach(r -> out.append(String.format(Locale.ROOT, " %-17s |", r.contender().id)));
    out.append("\n|-------:|");
    runs.forEach(r -> out.append("-".repeat(18)).append(":|"));
    out.append('\n');
    for (int s = 0; s < seconds; s++) {
      out.append(String.format(Locale.ROOT, "| %6d |", s + 1));
      for (ContenderRun.WarmUp r : runs) {
        String cell = s < r.p99PerSecond().length ? ms(r.p50PerSecond()[s]) + " / " + ms(r.p99PerSecond()[s]) : "";
        out.append(String.format(Locale.ROOT, " %17s |", cell));
      }
      out.append('\n');
    }
    out.append('\n');
    for (ContenderRun.WarmUp r : runs) {
      double worst = worstFrom(r.p99PerSecond(), SETTLED_FROM);
      out.append(String.format(Locale.ROOT, "%s: whole phase p50 / p99 %s / %s ms; worst per-second p99 from second %d: "
              + "%s ms; every second's p99 <= %.0f ms from second %s%s%n", r.contender().label,
          ms(r.paced().latencyMs(50)), ms(r.paced().latencyMs(99)), SETTLED_FROM, ms(worst), P99_TARGET_MS,
          settledFrom(r.p99PerSecond()), r.consuming() == null ? ""
              : String.format(Locale.ROOT, "; consuming %.1f s after its JVM was launched", r.consuming().toMillis() / 1e3)));
      if (r.contender() == Contender.HOOKLINE) {
        verdicts.verdict(worst <= P99_TARGET_MS && r.paced().complete(), String.format(Locale.ROOT,
            "Hookline cold start: per-second p99 <= %.0f ms from second %d at %,d events/s: worst %s ms%s",
            P99_TARGET_MS, SETTLED_FROM, settings.rate(), ms(worst), r.paced().complete() ? "" : " (not all delivered)"));
      }
    }
  }

  static Map<String, BenchChart> charts(DeliverySettings settings, List<ContenderRun.WarmUp> runs) {
    Map<String, BenchChart> charts = new LinkedHashMap<>();
    if (runs.isEmpty()) {
      return charts;
    }
    Map<String, double[]> p99 = new LinkedHashMap<>();
    Map<String, double[]> p50 = new LinkedHashMap<>();
    for (ContenderRun.WarmUp r : runs) {
      p99.put(r.contender().label, r.p99PerSecond());
      p50.put(r.contender().label, r.p50PerSecond());
    }
    String what = String.format(Locale.ROOT, "of each second at %,d events/s from a cold start", settings.rate());
    charts.put("warmup-p99", BenchChart.lines("p99 " + what, "second from the first event", "p99 ms", p99, true));
    charts.put("warmup-p50", BenchChart.lines("p50 " + what, "second from the first event", "p50 ms", p50, true));
    return charts;
  }

  /** The highest per-second figure from second {@code from} (1-based) on; infinite if a second had none arrived. */
  static double worstFrom(double[] perSecond, int from) {
    double worst = 0;
    for (int s = from - 1; s < perSecond.length; s++) {
      worst = Math.max(worst, Double.isNaN(perSecond[s]) ? Double.POSITIVE_INFINITY : perSecond[s]);
    }
    return worst;
  }

  /** The first second (1-based) from which every second's p99 is within the target, or "never". */
  static String settledFrom(double[] p99PerSecond) {
    int from = p99PerSecond.length;
    while (from > 0 && p99PerSecond[from - 1] <= P99_TARGET_MS) {
      from--;
    }
    return from == p99PerSecond.length ? "never" : Integer.toString(from + 1);
  }

  private static String ms(double v) {
    if (Double.isInfinite(v)) {
      return "never";
    }
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v < 100 ? "%.1f" : "%,.0f", v);
  }
}
