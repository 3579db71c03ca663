package io.hookline.bench.delivery;

import io.hookline.bench.BenchChart;
import io.hookline.bench.BenchExit;
import io.hookline.bench.BenchResults;
import io.hookline.bench.BenchMachine;
import io.hookline.testing.KafkaBroker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The delivery benchmark: on one broker and one HTTP receiver, in one run, how many
 * deliveries per second Hookline's dispatcher makes from a backlog, against the same HTTP client
 * POSTing from memory (the ceiling), Confluent Parallel Consumer in KEY mode, and a plain
 * poll-then-POST consumer; produce-to-delivery latency at a fixed rate; what happens to healthy
 * endpoints when one in ten hangs; and whether a large backlog stays within bounded memory and is
 * delivered completely. Every contender runs in its own JVM with the same -Xmx, so peak heap and
 * RSS are its own.
 *
 * <p>Run it with {@code ./bench delivery [events=N] [webhooks=W] [only=...] [scenario=...]}. Exit 0:
 * measured and every target met; 3: measured, a target missed; 1: not measured.
 */
public final class DeliveryBenchmark {

  static final double CEILING_TARGET = 0.80;
  static final double ISOLATION_TARGET = 0.90;
  static final double P99_TARGET_MS = 25;

  private DeliveryBenchmark() {}

  public static void main(String[] args) {
    BenchExit.afterRunning(() -> run(args));
  }

  private static int run(String[] args) throws Exception {
    DeliverySettings settings = DeliverySettings.from(args, System.getenv());
    Instant started = Instant.now();
    BenchLog.log("Delivery: %,d events over %,d webhooks, %d partitions; scenarios %s; contenders %s; -Xmx%s each",
        settings.events(), settings.webhooks(), settings.partitions(), settings.scenarios(), settings.only(),
        settings.childXmx());
    String classpath = System.getProperty("java.class.path");
    Path dir = workDir(classpath);
    List<String> jvmOptions = jvmOptions();
    KafkaBroker startedBroker = BenchExit.startBroker();
    Map<Contender, ContenderRun.Result> results = new LinkedHashMap<>();
    ContenderRun.Backpressure backpressure = null;
    KafkaFloor.Result floor = null;
    List<ContenderRun.WarmUp> warmUps = new ArrayList<>();
    String brokerKind;
    try (KafkaBroker broker = startedBroker; BenchReceiver receiver = BenchReceiver.start(2)) {
      brokerKind = broker.kind();
      List<ContenderRun> runs = new ArrayList<>();
      if (settings.runs("throughput") || settings.runs("isolation")) {
        for (Contender c : Contender.values()) {
          if (settings.runs(c) && (settings.runs("throughput") || c != Contender.CEILING)) {
            runs.add(new ContenderRun(c, c.id, settings, broker, receiver, dir, classpath, jvmOptions));
          }
        }
      }
      ContenderRun backpressureRun = settings.runs("backpressure") && settings.runs(Contender.HOOKLINE)
          ? new ContenderRun(Contender.HOOKLINE, "backpressure", settings, broker, receiver, dir, classpath, jvmOptions)
          : null;
      List<ContenderRun> coldRuns = new ArrayList<>();
      if (settings.runs("warmup")) {
        for (Contender c : Contender.values()) {
          if (settings.runs(c)) {
            coldRuns.add(new ContenderRun(c, c.id + "-cold", settings, broker, receiver, dir, classpath, jvmOptions));
          }
        }
      }
      BenchLog.log("Creating every contender's topics first");
      for (ContenderRun run : runs) {
        run.prepare();
      }
      for (ContenderRun run : coldRuns) {
        run.prepare();
      }
      if (backpressureRun != null) {
        backpressureRun.prepare();
      }
      BrokerWarmUp.run(broker, settings.partitions(), 200_000, Duration.ofSeconds(15), 2_000, Duration.ofSeconds(60));
      for (ContenderRun run : runs) {
        ContenderRun.Result r = run.run();
        results.put(r.contender(), r);
      }
      if (settings.runs("throughput") && settings.runs(Contender.CEILING)) {
        floor = KafkaFloor.measure(broker, settings, dir, classpath);
      }
      if (backpressureRun != null) {
        backpressure = backpressureRun.runBackpressure(Duration.ofMinutes(15));
      }
      if (!coldRuns.isEmpty()) {
        ReceiverWarmUp.run(receiver, 20_000);
      }
      for (ContenderRun run : coldRuns) {
        warmUps.add(run.runWarmUp());
      }
    }
    Duration took = Duration.between(started, Instant.now());
    DeliveryReport report = new DeliveryReport(settings, results, backpressure, floor, brokerKind, took, warmUps);
    String text = report.text();
    System.out.print(text);
    System.out.flush();
    Map<String, BenchChart> charts = DeliveryCharts.of(settings, results);
    charts.putAll(WarmUpReport.charts(settings, warmUps));
    BenchResults.of("delivery", started, System.getenv()).write(text, charts);
    return report.allTargetsMet() ? 0 : 3;
  }

  /** JVM options every contender gets, besides -Xmx: none but the collector, unless BENCH_CHILD_OPTS says. */
  static List<String> jvmOptions() {
    List<String> out = new ArrayList<>();
    String extra = System.getenv("BENCH_CHILD_OPTS");
    if (extra != null && !extra.isBlank()) {
      out.addAll(List.of(extra.trim().split("\\s+")));
    }
    return out;
  }

  static Path workDir(String classpath) throws IOException {
    for (String entry : classpath.split(File.pathSeparator)) {
      if (new File(entry).getName().startsWith("hookline-benchmarks-")) {
        Path dir = Path.of(entry).toAbsolutePath().getParent().resolve("delivery-bench");
        Files.createDirectories(dir);
        return dir;
      }
    }
    Path dir = Path.of("target", "delivery-bench").toAbsolutePath();
    Files.createDirectories(dir);
    return dir;
  }

  static String machine(String brokerKind) {
    String cpu = BenchMachine.cpuModel().map(m -> m + ", ").orElse("");
    return String.format(Locale.ROOT, "%s%d cores available, %s %s, %s %s, broker %s", cpu,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
        "embedded".equals(brokerKind) ? "in-JVM KRaft in the benchmark's JVM (-Xmx"
            + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m)" : brokerKind);
  }
}
