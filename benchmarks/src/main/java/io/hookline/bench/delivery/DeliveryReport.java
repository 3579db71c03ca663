package io.hookline.bench.delivery;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The printed figures and the verdict on the targets. */
final class DeliveryReport {
  private final DeliverySettings settings;
  private final Map<Contender, ContenderRun.Result> results;
  private final ContenderRun.Backpressure backpressure;
  private final KafkaFloor.Result floor;
  private final String brokerKind;
  private final Duration took;
  private final List<ContenderRun.WarmUp> warmUps;
  private final List<String> verdicts = new ArrayList<>();
  private boolean missed;

  DeliveryReport(DeliverySettings settings, Map<Contender, ContenderRun.Result> results,
      ContenderRun.Backpressure backpressure, KafkaFloor.Result floor, String brokerKind, Duration took,
      List<ContenderRun.WarmUp> warmUps) {
    this.settings = settings;
    this.results = results;
    this.backpressure = backpressure;
    this.floor = floor;
    this.brokerKind = brokerKind;
    this.took = took;
    this.warmUps = warmUps;
  }

  boolean allTargetsMet() {
    text();
    return !missed;
  }

  String text() {
    verdicts.clear();
    missed = false;
    StringBuilder out = new StringBuilder();
    out.append("\nDelivery benchmark: one run, same broker, receiver and HTTP client settings\n");
    if (!results.isEmpty()) {
      out.append(String.format(Locale.ROOT, "load: bursts of %,d events over %,d webhooks (one portal and key each), "
              + "%d partitions; latency at %,d events/s for %s; warm-up %,d events per contender, and %,d at the fixed rate before its latency phase (not measured)%n",
          settings.events(), settings.webhooks(), settings.partitions(), settings.rate(),
          settings.latencyDuration().toSeconds() + " s", settings.warmup(), settings.pacedWarmupEvents()));
    }
    out.append(String.format(Locale.ROOT, "machine: %s%n", DeliveryBenchmark.machine(brokerKind)));
    out.append(String.format(Locale.ROOT, "contenders: each in its own JVM, -Xmx%s, %,d requests in flight at most; "
        + "receiver: HTTP/1.1 keep-alive NIO server (2 selector threads, answers 200 at once) in the "
        + "benchmark's JVM%n", settings.childXmx(), settings.maxInFlight()));
    out.append(String.format(Locale.ROOT, "JVM options: ceiling -Djava.util.concurrent.ForkJoinPool.common.parallelism="
        + "%d; Hookline as shipped%s%s; peers none%s%n", Math.max(2, Runtime.getRuntime().availableProcessors()),
        blankOr(System.getenv("BENCH_HOOKLINE_OPTS"), " + "), blankOr(System.getenv("BENCH_HOOKLINE_JAVA"), ", on "),
        blankOr(System.getenv("BENCH_CHILD_OPTS"), "; all: ")));
    ContenderRun.Result hookline = results.get(Contender.HOOKLINE);
    if (settings.runs("throughput") && !results.isEmpty()) {
      throughputTable(out, hookline);
    }
    if (settings.runs("isolation") && results.values().stream().anyMatch(r -> r.isolationBurst() != null)) {
      isolationTable(out);
    }
    if (backpressure != null) {
      backpressureSection(out);
    }
    WarmUpReport.append(out, settings, warmUps, this::verdict);
    out.append("\nTargets:\n");
    verdicts.forEach(v -> out.append("  ").append(v).append('\n'));
    for (ContenderRun.Result r : results.values()) {
      if (!r.notes().isEmpty()) {
        out.append(String.format(Locale.ROOT, "%s: %s%n", r.contender().label, r.notes()));
      }
    }
    out.append(String.format(Locale.ROOT, "Total run time %s.%n",
        took.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT)));
    return out.toString();
  }

  /** The Kafka floor and the share of the ceiling it leaves at most to any dispatcher recording attempts. */
  private void floorSection(StringBuilder out) {
    ContenderRun.Result ceiling = results.get(Contender.CEILING);
    if (floor == null || ceiling == null || ceiling.burst() == null || Double.isNaN(ceiling.burst().cpuMicros())) {
      return;
    }
    double c = ceiling.burst().cpuMicros();
    out.append(String.format(Locale.ROOT, "%nKafka floor (no HTTP): reading each event and writing one %d-byte record "
            + "for it (idempotent, acks=all, 20 ms linger) took %s us of CPU per event (%s in its JVM, %s in the "
            + "broker's), %,.0f events/s. With the ceiling's %s us per delivery, a dispatcher that reads each event from "
            + "Kafka and records its attempt reaches at most %.0f%% of the ceiling on these cores (%s / (%s + %s)), "
            + "before any decoding, signing or bookkeeping.%n",
        KafkaFloor.RECORD_BYTES, micros(floor.totalMicros()), micros(floor.childMicros()), micros(floor.benchMicros()),
        floor.perSecond(), micros(c), 100 * c / (c + floor.totalMicros()), micros(c), micros(c),
        micros(floor.totalMicros())));
  }

  private static String micros(double us) {
    return Double.isNaN(us) ? "" : String.format(Locale.ROOT, "%.0f", us);
  }

  private void throughputTable(StringBuilder out, ContenderRun.Result hookline) {
    out.append(String.format(Locale.ROOT, "%nAll webhooks healthy: burst of %,d events (deliveries/s, first to last "
        + "delivery), latency from produce to the receiver at %,d/s%n%n", settings.events(), settings.rate()));
    out.append(String.format(Locale.ROOT, "| %-44s | %12s | %14s | %8s | %7s | %7s | %7s | %9s | %9s | %8s |%n",
        "contender", "deliveries/s", "Hookline/this", "CPU us", "p50 ms", "p99 ms", "max ms", "heap used", "after GC", "RSS"));
    out.append("|").append("-".repeat(46)).append("|").append("-".repeat(13)).append(":|").append("-".repeat(15))
        .append(":|").append("-".repeat(9)).append(":|").append("-".repeat(8)).append(":|").append("-".repeat(8)).append(":|").append("-".repeat(8))
        .append(":|").append("-".repeat(10)).append(":|").append("-".repeat(10)).append(":|").append("-".repeat(9))
        .append(":|\n");
    for (ContenderRun.Result r : results.values()) {
      if (r.burst() == null) {
        continue;
      }
      String ratio = hookline == null || hookline.burst() == null ? "" : ratio(hookline.burst().perSecond(), r.burst().perSecond());
      out.append(String.format(Locale.ROOT, "| %-44s | %12s | %14s | %8s | %7s | %7s | %7s | %9s | %9s | %8s |%n",
          r.contender().label, rate(r.burst()), ratio, micros(r.burst().cpuMicros()), ms(r.latency().latencyMs(50)), ms(r.latency().latencyMs(99)),
          ms(r.latency().latencyMs(100)), mib(r.memory().peakHeapUsed()), mib(r.memory().peakHeapAfterGc()),
          mib(r.memory().peakRss())));
    }
    out.append("(CPU us: CPU per delivery in the burst, the contender's JVM plus the benchmark's (broker, receiver, "
        + "producer); heap used: peak sampled every 50 ms, garbage included; after GC: peak heap right after a "
        + "collection; RSS: peak resident set (VmHWM); all over warm-up, burst and latency phases)\n");
    floorSection(out);
    if (hookline == null || hookline.burst() == null) {
      return;
    }
    double h = hookline.burst().perSecond();
    ContenderRun.Result ceiling = results.get(Contender.CEILING);
    if (ceiling != null && ceiling.burst() != null) {
      double share = h / ceiling.burst().perSecond();
      verdict(share >= DeliveryBenchmark.CEILING_TARGET, String.format(Locale.ROOT, "Hookline >= %.0f%% of the ceiling: %.0f%% (%s of %s/s)",
          DeliveryBenchmark.CEILING_TARGET * 100, share * 100, rate(hookline.burst()), rate(ceiling.burst())));
    }
    double p99 = hookline.latency().latencyMs(99);
    verdict(p99 < DeliveryBenchmark.P99_TARGET_MS, String.format(Locale.ROOT, "Hookline p99 < %.0f ms at %,d events/s: p99 %s ms",
        DeliveryBenchmark.P99_TARGET_MS, settings.rate(), ms(p99)));
    List<String> behind = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (Contender peer : List.of(Contender.PARALLEL_CONSUMER, Contender.PLAIN)) {
      ContenderRun.Result r = results.get(peer);
      if (r != null && r.burst() != null) {
        peers.add(peer.id + " " + ratio(h, r.burst().perSecond()));
        if (h <= r.burst().perSecond()) {
          behind.add(peer.id);
        }
      }
    }
    ContenderRun.Result registry = results.get(Contender.HOOKLINE_REGISTRY);
    if (registry != null && registry.burst() != null) {
      out.append(String.format(Locale.ROOT, "%nSchema registry wire format (HOOKLINE_SCHEMA_REGISTRY_URL, Apicurio "
              + "Registry): %s plain Hookline's deliveries/s (%s vs %s/s), CPU per delivery %s, p99 %s ms vs %s ms%n",
          ratio(registry.burst().perSecond(), h), rate(registry.burst()), rate(hookline.burst()),
          ratio(registry.burst().cpuMicros(), hookline.burst().cpuMicros()), ms(registry.latency().latencyMs(99)), ms(p99)));
    }
    variantRatio(out, Contender.HOOKLINE_SCHEMA, "Validation (every event checked against a JSON Schema of "
        + "13 properties before fan-out)", hookline);
    variantRatio(out, Contender.HOOKLINE_ORDERED, "Ordering by key (" + settings.orderingKeys() + " keys per "
        + "webhook; needs a dispatcher that orders)", hookline);
    if (!peers.isEmpty()) {
      verdict(behind.isEmpty(), "Hookline ahead of every peer in deliveries/s: " + String.join(", ", peers)
          + (behind.isEmpty() ? "" : " (behind " + String.join(", ", behind) + ")"));
    }
  }

  /** A variant of Hookline against plain Hookline in the same run: deliveries/s, CPU per delivery, p99. */
  private void variantRatio(StringBuilder out, Contender variant, String what, ContenderRun.Result hookline) {
    ContenderRun.Result r = results.get(variant);
    if (r == null || r.burst() == null) {
      return;
    }
    out.append(String.format(Locale.ROOT, "%n%s: %s plain Hookline's deliveries/s (%s vs %s/s), CPU per delivery "
            + "%s (%s vs %s us), p99 %s (%s ms vs %s ms)%n", what, ratio(r.burst().perSecond(), hookline.burst().perSecond()),
        rate(r.burst()), rate(hookline.burst()), ratio(r.burst().cpuMicros(), hookline.burst().cpuMicros()),
        micros(r.burst().cpuMicros()), micros(hookline.burst().cpuMicros()),
        ratio(r.latency().latencyMs(99), hookline.latency().latencyMs(99)), ms(r.latency().latencyMs(99)),
        ms(hookline.latency().latencyMs(99))));
  }

  private void isolationTable(StringBuilder out) {
    out.append(String.format(Locale.ROOT, "%nIsolation: one webhook in ten never answers (the receiver holds the "
        + "connection; clients time out after 5 s); healthy webhooks only. The burst may take 1.5x the time the "
        + "contender's all-healthy rate needs for its healthy 90%%, + %d s; the latency phase waits %d s after its "
        + "last event%n%n", settings.isolationTimeout().toSeconds(), settings.isolationTimeout().toSeconds()));
    out.append(String.format(Locale.ROOT, "| %-44s | %16s | %13s | %7s | %7s | %13s | %21s |%n",
        "contender", "healthy deliv./s", "vs all-healthy", "p50 ms", "p99 ms", "p99 vs healthy", "healthy delivered"));
    out.append("|").append("-".repeat(46)).append("|").append("-".repeat(17)).append(":|").append("-".repeat(14))
        .append(":|").append("-".repeat(8)).append(":|").append("-".repeat(8)).append(":|").append("-".repeat(14))
        .append(":|").append("-".repeat(22)).append(":|\n");
    for (ContenderRun.Result r : results.values()) {
      if (r.isolationBurst() == null) {
        continue;
      }
      PhaseResult b = r.isolationBurst();
      PhaseResult l = r.isolationLatency();
      String vsThroughput = r.burst() == null ? "" : ratio(b.perSecond(), r.burst().perSecond());
      String vsP99 = r.latency() == null ? "" : ratio(l.latencyMs(99), r.latency().latencyMs(99));
      out.append(String.format(Locale.ROOT, "| %-44s | %16s | %13s | %7s | %7s | %13s | %21s |%n",
          r.contender().label, rate(b), vsThroughput, ms(l.latencyMs(50)), ms(l.latencyMs(99)), vsP99,
          String.format(Locale.ROOT, "%,d/%,d + %,d/%,d", b.arrived(), b.expected(), l.arrived(), l.expected())));
    }
    out.append("(healthy delivered: burst phase + latency phase, arrived of expected within the bound; a p99 of "
        + "'never' means more than 1% of them did not arrive)\n");
    ContenderRun.Result hookline = results.get(Contender.HOOKLINE);
    if (hookline != null && hookline.isolationBurst() != null && hookline.burst() != null) {
      double share = hookline.isolationBurst().perSecond() / hookline.burst().perSecond();
      verdict(share >= DeliveryBenchmark.ISOLATION_TARGET && hookline.isolationBurst().complete(), String.format(Locale.ROOT,
          "Hookline isolation: healthy throughput >= %.0f%% of all-healthy: %.0f%%%s", DeliveryBenchmark.ISOLATION_TARGET * 100,
          share * 100, hookline.isolationBurst().complete() ? "" : " (not all healthy events delivered in the bound)"));
    }
  }

  private void backpressureSection(StringBuilder out) {
    ContenderRun.Backpressure b = backpressure;
    ChildJvm.Memory m = b.memory();
    out.append(String.format(Locale.ROOT, "%nBackpressure: %,d events in the input topic before the dispatcher "
        + "starts (produced in %,d ms)%n", b.backlog(), b.produceMillis()));
    out.append(String.format(Locale.ROOT, "  delivered: %,d of %,d (%,d duplicates), %s/s; attempt records: %,d %s; "
            + "retry requests written: %,d, failed executions: %,d (the run has no retry-scheduler: a failed "
            + "attempt waits for its retry)%n", b.delivery().arrived(), b.backlog(), b.duplicates(),
        rate(b.delivery()), b.attempts(), b.outcomes(), b.retriesScheduled(), b.deadLettered()));
    out.append(String.format(Locale.ROOT, "  dispatcher heap: peak used %s, peak right after a collection %s, peak "
            + "committed %s, of -Xmx %s; peak RSS %s; max-queued %,d executions%n", mib(m.peakHeapUsed()),
        mib(m.peakHeapAfterGc()), mib(m.peakHeapCommitted()), mib(m.heapMax()), mib(m.peakRss()), b.maxQueued()));
    boolean complete = b.nothingLost() && b.duplicates() == 0;
    verdict(complete, String.format(Locale.ROOT, "Backpressure: each of the %,d events delivered once or on record "
        + "for a retry, each attempt recorded, heap within -Xmx: %s (%,d delivered)", b.backlog(),
        complete ? "yes" : "no", b.delivery().arrived()));
  }

  private void verdict(boolean met, String what) {
    verdicts.add((met ? "MET      " : "NOT MET  ") + what);
    missed |= !met;
  }

  private static String blankOr(String value, String prefix) {
    return value == null || value.isBlank() ? "" : prefix + value.trim();
  }

  private static String rate(PhaseResult r) {
    return String.format(Locale.ROOT, "%,.0f", r.perSecond()) + (r.complete() ? "" : "*");
  }

  private static String ratio(double a, double b) {
    if (Double.isInfinite(a) || Double.isInfinite(b) || Double.isNaN(a) || Double.isNaN(b) || b <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String ms(double v) {
    if (Double.isInfinite(v)) {
      return "never";
    }
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
  }
}
