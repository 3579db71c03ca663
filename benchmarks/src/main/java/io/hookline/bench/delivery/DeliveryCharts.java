package io.hookline.bench.delivery;

import io.hookline.bench.BenchChart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The delivery benchmark's figures as charts: deliveries/s and CPU per delivery of the burst,
 * latency percentiles at the fixed rate, the p99 of each second at the fixed rate from the first
 * paced event (the paced warm-up, then the measured latency phase: how fast each contender
 * settles), and the isolation scenario's healthy throughput and p99 beside the all-healthy ones.
 */
final class DeliveryCharts {

  private DeliveryCharts() {}

  static Map<String, BenchChart> of(DeliverySettings settings, Map<Contender, ContenderRun.Result> results) {
    Map<String, BenchChart> charts = new LinkedHashMap<>();
    List<ContenderRun.Result> bursts = results.values().stream().filter(r -> r.burst() != null).toList();
    if (!bursts.isEmpty()) {
      Map<String, List<Double>> rate = BenchChart.series();
      Map<String, List<Double>> cpu = BenchChart.series();
      for (ContenderRun.Result r : bursts) {
        rate.put(r.contender().label, List.of(r.burst().perSecond()));
        cpu.put(r.contender().label, List.of(r.burst().cpuMicros()));
      }
      String burst = String.format(Locale.ROOT, "burst of %,d events", settings.events());
      charts.put("throughput", BenchChart.bars("Deliveries/s, " + burst + " (higher is better)", "deliveries/s",
          List.of(burst), rate));
      charts.put("cpu", BenchChart.bars("CPU per delivery, " + burst + " (lower is better)", "CPU us per delivery",
          List.of(burst), cpu));
    }
    List<ContenderRun.Result> paced = results.values().stream().filter(r -> r.latency() != null).toList();
    if (!paced.isEmpty()) {
      Map<String, List<Double>> percentiles = BenchChart.series();
      Map<String, double[]> perSecond = new LinkedHashMap<>();
      for (ContenderRun.Result r : paced) {
        percentiles.put(r.contender().label, List.of(r.latency().latencyMs(50), r.latency().latencyMs(99),
            r.latency().latencyMs(100)));
        perSecond.put(r.contender().label, concat(r.pacedWarmup(), r.latency()));
      }
      String rate = String.format(Locale.ROOT, "%,d events/s", settings.rate());
      charts.put("latency", BenchChart.bars("Produce to delivery at " + rate + " (lower is better)", "ms",
          List.of("p50", "p99", "max"), percentiles));
      charts.put("p99-per-second", BenchChart.lines("p99 of each second at " + rate + " ("
              + settings.pacedWarmupEvents() / Math.max(1, settings.rate()) + " s paced warm-up, then the latency phase)",
          "second from the first paced event", "p99 ms", perSecond, true));
    }
    List<ContenderRun.Result> isolated = results.values().stream().filter(r -> r.isolationBurst() != null).toList();
    if (!isolated.isEmpty()) {
      Map<String, List<Double>> rates = BenchChart.series();
      Map<String, List<Double>> p99 = BenchChart.series();
      for (ContenderRun.Result r : isolated) {
        rates.put(r.contender().label, List.of(r.burst() == null ? Double.NaN : r.burst().perSecond(),
            r.isolationBurst().perSecond()));
        p99.put(r.contender().label, List.of(r.latency() == null ? Double.NaN : r.latency().latencyMs(99),
            r.isolationLatency() == null ? Double.NaN : r.isolationLatency().latencyMs(99)));
      }
      charts.put("isolation-throughput", BenchChart.bars("Healthy deliveries/s while a tenth of the endpoints hang",
          "deliveries/s", List.of("all healthy", "a tenth hang"), rates));
      charts.put("isolation-latency", BenchChart.bars("Healthy endpoints' p99 at " + settings.rate()
          + " events/s while a tenth hang (missing: more than 1% never arrived)", "p99 ms",
          List.of("all healthy", "a tenth hang"), p99));
    }
    return charts;
  }

  private static double[] concat(PhaseResult first, PhaseResult second) {
    List<double[]> parts = new ArrayList<>();
    for (PhaseResult p : new PhaseResult[] {first, second}) {
      if (p != null) {
        parts.add(p.p99PerSecond());
      }
    }
    double[] out = new double[parts.stream().mapToInt(a -> a.length).sum()];
    int at = 0;
    for (double[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return Arrays.copyOf(out, at);
  }
}
