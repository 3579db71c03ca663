package io.hookline.bench;

import io.hookline.schemas.DurationText;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * What the light-load scenario measured: per execution, its lateness at the receiver and (when the
 * redeliveries reader saw its record) the stages it splits into, in microseconds; and the report
 * lines, including a row ready for benchmarks/README.md.
 */
final class LightRetryResult {

  private static final String[] STAGES = {
      "lateness at the receiver: retry POST - (failed POST + delay)",
      "  dispatcher stamps due_at: due_at - (failed POST + delay)",
      "  scheduler sends: send - due_at",
      "  transaction readable (read_committed): read - send",
      "  readable after due: max(0, read - due_at)",
      "  dispatcher starts the attempt: retry POST - max(read, due_at)"};

  private final LightRetrySettings settings;
  private final long[][] byStage;
  private final long duplicates;
  private final int withoutStages;
  private final double loadBefore;
  private final double loadAfter;

  /** @param rows per execution: lateness, then the five stages (or the lateness alone) */
  LightRetryResult(LightRetrySettings settings, List<long[]> rows, long duplicates, int withoutStages,
      double loadBefore, double loadAfter) {
    this.settings = settings;
    this.duplicates = duplicates;
    this.withoutStages = withoutStages;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
    this.byStage = new long[STAGES.length][];
    for (int s = 0; s < STAGES.length; s++) {
      int stage = s;
      byStage[s] = rows.stream().filter(r -> r.length > stage).mapToLong(r -> r[stage]).sorted().toArray();
    }
  }

  long p99Ms() {
    return Math.round(percentile(byStage[0], 99) / 1_000.0);
  }

  boolean targetMet() {
    return byStage[0].length == settings.retries() && percentile(byStage[0], 99) < LightRetryRun.P99_TARGET_MS * 1_000;
  }

  String report() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nLight load: %,d executions at %d events/s over %d webhooks, each failed once "
            + "(500) and retried after %s, through the dispatcher and the retry-scheduler (each its own JVM)%n",
        settings.retries(), settings.rate(), settings.webhooks(), DurationText.format(settings.delay())));
    if (settings.warmup() > 0) {
      out.append(String.format(Locale.ROOT, "warm-up: %,d such executions first, not measured%n", settings.warmup()));
    }
    out.append(String.format(Locale.ROOT, "load average (1 min): %.2f before, %.2f after%n%n", loadBefore, loadAfter));
    out.append(String.format(Locale.ROOT, "| %-62s | %7s | %8s | %8s | %8s |%n", "measure", "count", "p50 ms", "p99 ms",
        "max ms"));
    out.append("|").append("-".repeat(64)).append("|").append("-".repeat(9)).append("|")
        .append("-".repeat(10)).append("|").append("-".repeat(10)).append("|").append("-".repeat(10)).append("|\n");
    for (int s = 0; s < STAGES.length; s++) {
      long[] v = byStage[s];
      if (v.length == 0) {
        continue;
      }
      out.append(String.format(Locale.ROOT, "| %-62s | %,7d | %8.1f | %8.1f | %8.1f |%n", STAGES[s], v.length,
          percentile(v, 50) / 1_000.0, percentile(v, 99) / 1_000.0, v[v.length - 1] / 1_000.0));
    }
    out.append("(the stages' percentiles are each taken on their own and do not add up)\n");
    if (withoutStages > 0) {
      out.append(String.format(Locale.ROOT, "%d executions were not seen by the redeliveries reader (no stages)%n",
          withoutStages));
    }
    out.append(String.format(Locale.ROOT, "%,d of %,d executions retried once; %d extra requests%n",
        byStage[0].length, settings.retries(), duplicates));
    out.append(String.format(Locale.ROOT, "Light-load p99 < %d ms: %s%n", LightRetryRun.P99_TARGET_MS,
        targetMet() ? "MET" : "NOT MET"));
    out.append("\nbenchmarks/README.md row (date | load | p50 / p99 / max ms | load average):\n");
    long[] lateness = byStage[0];
    out.append(String.format(Locale.ROOT, "| %s | %,d retries at %d/s, %s delay | %.1f / %.1f / %.1f | %.1f |%n",
        LocalDate.now(ZoneOffset.UTC), settings.retries(), settings.rate(), DurationText.format(settings.delay()),
        percentile(lateness, 50) / 1_000.0, percentile(lateness, 99) / 1_000.0,
        lateness.length == 0 ? 0 : lateness[lateness.length - 1] / 1_000.0, Math.max(loadBefore, loadAfter)));
    return out.toString();
  }

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
