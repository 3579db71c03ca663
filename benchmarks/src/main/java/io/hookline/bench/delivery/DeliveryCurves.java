package io.hookline.bench.delivery;

import io.hookline.bench.BenchArguments;
import io.hookline.bench.BenchExit;
import io.hookline.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How Hookline's delivery cost grows: curves, not points. For each point of an axis, on one broker
 * and one receiver, the dispatcher and the ceiling (the same HTTP client POSTing from memory) deliver
 * the same load, so every point is a ratio measured in the same run:
 * <ul>
 *   <li>{@code webhooks}: 10 to 10,000 webhooks the events are spread over (one event, one delivery);
 *   <li>{@code fanout}: one event to 1 to 1,000 subscribers (10 portals of that many webhooks each);
 *   <li>{@code partitions}: 1 to 24 partitions of every topic (100 webhooks);
 *   <li>{@code heap}: the dispatcher's heap against stored webhooks, 1,000 to 100,000 (Hookline only).
 * </ul>
 * Every point delivers the same number of deliveries (a fan-out of {@code k} publishes {@code 1/k}
 * as many events), and its latency phase runs at the same deliveries per second. Besides the text,
 * the figures go to {@code curves.csv} in the benchmark's folder.
 *
 * <p>Run it with {@code ./bench curves [axis=webhooks,fanout,partitions,heap] [deliveries=30000]
 * [rate=1000] [xmx=1g]}. Exit 0 when every point was measured (curves have no targets), 1 when not.
 */
public final class DeliveryCurves {

  static final List<String> AXES = List.of("webhooks", "fanout", "partitions", "heap");
  private static final List<Integer> WEBHOOKS = List.of(10, 100, 1_000, 10_000);
  private static final List<Integer> FANOUT = List.of(1, 10, 100, 1_000);
  private static final int FANOUT_PORTALS = 10;
  private static final List<Integer> PARTITIONS = List.of(1, 3, 6, 12, 24);
  private static final List<Integer> STORED_WEBHOOKS = List.of(1_000, 10_000, 100_000);
  private static final int DEFAULT_PARTITIONS = 6;
  private static final int DEFAULT_WEBHOOKS = 100;

  private DeliveryCurves() {}

  public static void main(String[] args) {
    BenchExit.afterRunning(() -> run(args));
  }

  /** One measured point of an axis. */
  record Point(String axis, int value, DeliverySettings settings, ContenderRun.Result hookline,
      ContenderRun.Result ceiling) {}

  private static int run(String[] args) throws Exception {
    BenchArguments given = BenchArguments.parse(args, System.getenv(), "axis, deliveries, warmup, rate, xmx, "
        + "max-in-flight, latency-duration, paced-warmup");
    String axisText = given.text("axis", "BENCH_AXIS", "all");
    List<String> axes = axisText.equals("all") ? AXES : List.of(axisText.split(","));
    for (String axis : axes) {
      if (!AXES.contains(axis)) {
        throw new IllegalArgumentException("axis must be a comma list of " + AXES + " or all, was " + axis);
      }
    }
    int deliveries = given.count("deliveries", "BENCH_DELIVERIES", "30000");
    int warmup = given.count("warmup", "BENCH_WARMUP", "10000");
    int rate = given.count("rate", "BENCH_RATE", "1000");
    String[] base = Stream.concat(Stream.of(args).filter(a -> Stream.of("xmx=", "max-in-flight=", "latency-duration=",
        "paced-warmup=").anyMatch(a::startsWith)), Stream.of("only=ceiling,hookline", "scenario=throughput"))
        .toArray(String[]::new);
    DeliverySettings both = DeliverySettings.from(base, Map.of());
    DeliverySettings hooklineOnly = DeliverySettings.from(
        Stream.concat(Stream.of(base).filter(a -> !a.startsWith("only=")), Stream.of("only=hookline"))
            .toArray(String[]::new), Map.of());
    Instant started = Instant.now();
    BenchLog.log("Curves %s: %,d deliveries per point after %,d of warm-up, latency at %,d deliveries/s", axes,
        deliveries, warmup, rate);
    String classpath = System.getProperty("java.class.path");
    Path dir = DeliveryBenchmark.workDir(classpath);
    List<String> jvmOptions = DeliveryBenchmark.jvmOptions();
    List<Point> points = new ArrayList<>();
    String brokerKind;
    try (KafkaBroker broker = BenchExit.startBroker(); BenchReceiver receiver = BenchReceiver.start(2)) {
      brokerKind = broker.kind();
      BrokerWarmUp.run(broker, DEFAULT_PARTITIONS, 200_000, Duration.ofSeconds(15), 2_000, Duration.ofSeconds(60));
      for (String axis : axes) {
        for (int value : values(axis)) {
          DeliverySettings settings = point(axis, value, axis.equals("heap") ? hooklineOnly : both, deliveries,
              warmup, rate);
          BenchLog.log("Curve %s = %,d: %,d events to %,d webhooks (fan-out %d), %d partitions", axis, value,
              settings.events(), settings.webhooks(), settings.fanout(), settings.partitions());
          Map<Contender, ContenderRun.Result> results = new LinkedHashMap<>();
          List<ContenderRun> runs = new ArrayList<>();
          for (Contender c : List.of(Contender.CEILING, Contender.HOOKLINE)) {
            if (settings.runs(c)) {
              runs.add(new ContenderRun(c, c.id + "-" + axis + "-" + value, settings, broker, receiver, dir,
                  classpath, jvmOptions));
            }
          }
          for (ContenderRun r : runs) {
            r.prepare();
          }
          for (ContenderRun r : runs) {
            ContenderRun.Result result = r.run();
            results.put(result.contender(), result);
          }
          points.add(new Point(axis, value, settings, results.get(Contender.HOOKLINE), results.get(Contender.CEILING)));
        }
      }
    }
    Path csv = dir.resolve("curves.csv");
    Files.writeString(csv, csv(points));
    System.out.print(text(points, brokerKind, Duration.between(started, Instant.now()), csv));
    System.out.flush();
    return 0;
  }

  private static List<Integer> values(String axis) {
    return switch (axis) {
      case "webhooks" -> WEBHOOKS;
      case "fanout" -> FANOUT;
      case "partitions" -> PARTITIONS;
      default -> STORED_WEBHOOKS;
    };
  }

  /** The load of one point: the same deliveries whatever the fan-out, the latency phase at the same deliveries/s. */
  static DeliverySettings point(String axis, int value, DeliverySettings base, int deliveries, int warmup, int rate) {
    int fanout = axis.equals("fanout") ? value : 1;
    int webhooks = switch (axis) {
      case "webhooks", "heap" -> value;
      case "fanout" -> FANOUT_PORTALS * value;
      default -> DEFAULT_WEBHOOKS;
    };
    int partitions = axis.equals("partitions") ? value : DEFAULT_PARTITIONS;
    return base.with(Math.max(1, deliveries / fanout), Math.max(1, warmup / fanout), webhooks, partitions,
        Math.max(1, rate / fanout), fanout);
  }

  static String text(List<Point> points, String brokerKind, Duration took, Path csv) {
    StringBuilder out = new StringBuilder();
    out.append("\nDelivery curves: Hookline's dispatcher and the ceiling on the same broker and receiver, point by "
        + "point in one run\n");
    out.append(String.format(Locale.ROOT, "machine: %s%n", DeliveryBenchmark.machine(brokerKind)));
    String axis = null;
    for (Point p : points) {
      if (!p.axis().equals(axis)) {
        axis = p.axis();
        out.append(String.format(Locale.ROOT, "%n%s%n%n| %10s | %9s | %7s | %6s | %12s | %12s | %9s | %7s | %7s "
                + "| %12s | %9s |%n", title(axis), axis, "webhooks", "fan-out", "parts", "Hookline/s", "ceiling/s",
            "H/ceil", "H p50", "H p99", "ceiling p99", "H heap GC"));
        out.append("|").append("-".repeat(11)).append(":|").append("-".repeat(10)).append(":|").append("-".repeat(8))
            .append(":|").append("-".repeat(7)).append(":|").append("-".repeat(13)).append(":|").append("-".repeat(13))
            .append(":|").append("-".repeat(10)).append(":|").append("-".repeat(8)).append(":|").append("-".repeat(8))
            .append(":|").append("-".repeat(13)).append(":|").append("-".repeat(10)).append(":|\n");
      }
      DeliverySettings s = p.settings();
      out.append(String.format(Locale.ROOT, "| %,10d | %,9d | %7d | %6d | %12s | %12s | %9s | %7s | %7s | %12s | %9s |%n",
          p.value(), s.webhooks(), s.fanout(), s.partitions(), rate(p.hookline()), rate(p.ceiling()),
          ratio(p.hookline(), p.ceiling()), latency(p.hookline(), 50), latency(p.hookline(), 99),
          latency(p.ceiling(), 99), heap(p.hookline())));
    }
    out.append(String.format(Locale.ROOT, "%n(deliveries/s: first to last delivery of the burst; p50/p99: produce to "
        + "receiver in ms at the fixed rate; H heap GC: Hookline's peak heap right after a collection; * = not all "
        + "delivered in the bound)%nFigures also in %s. Total run time %s.%n", csv,
        took.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT)));
    return out.toString();
  }

  private static String title(String axis) {
    return switch (axis) {
      case "webhooks" -> "Webhooks the events are spread over (one delivery per event)";
      case "fanout" -> "Fan-out: subscribers per event (" + FANOUT_PORTALS + " portals)";
      case "partitions" -> "Partitions of every topic (" + DEFAULT_WEBHOOKS + " webhooks)";
      default -> "Stored webhooks: the dispatcher's heap (Hookline only)";
    };
  }

  static String csv(List<Point> points) {
    StringBuilder out = new StringBuilder("axis,value,webhooks,fanout,partitions,hookline_per_s,ceiling_per_s,"
        + "hookline_p50_ms,hookline_p99_ms,ceiling_p99_ms,hookline_heap_after_gc_mib,hookline_rss_mib\n");
    for (Point p : points) {
      DeliverySettings s = p.settings();
      out.append(String.join(",", p.axis(), Integer.toString(p.value()), Integer.toString(s.webhooks()),
          Integer.toString(s.fanout()), Integer.toString(s.partitions()), number(perSecond(p.hookline())),
          number(perSecond(p.ceiling())), number(latencyMs(p.hookline(), 50)), number(latencyMs(p.hookline(), 99)),
          number(latencyMs(p.ceiling(), 99)), mib(p.hookline() == null ? -1 : p.hookline().memory().peakHeapAfterGc()),
          mib(p.hookline() == null ? -1 : p.hookline().memory().peakRss()))).append('\n');
    }
    return out.toString();
  }

  private static double perSecond(ContenderRun.Result r) {
    return r == null || r.burst() == null ? Double.NaN : r.burst().perSecond();
  }

  private static double latencyMs(ContenderRun.Result r, int percentile) {
    return r == null || r.latency() == null ? Double.NaN : r.latency().latencyMs(percentile);
  }

  private static String rate(ContenderRun.Result r) {
    return r == null || r.burst() == null ? "" : String.format(Locale.ROOT, "%,.0f", r.burst().perSecond())
        + (r.burst().complete() ? "" : "*");
  }

  private static String ratio(ContenderRun.Result a, ContenderRun.Result b) {
    double x = perSecond(a);
    double y = perSecond(b);
    return Double.isNaN(x) || Double.isNaN(y) || y <= 0 ? "" : String.format(Locale.ROOT, "%.2fx", x / y);
  }

  private static String latency(ContenderRun.Result r, int percentile) {
    double v = latencyMs(r, percentile);
    return Double.isNaN(v) ? "" : Double.isInfinite(v) ? "never" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String heap(ContenderRun.Result r) {
    return r == null || r.memory().peakHeapAfterGc() < 0 ? ""
        : String.format(Locale.ROOT, "%,d MiB", r.memory().peakHeapAfterGc() / (1024 * 1024));
  }

  private static String number(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "" : Long.toString(bytes / (1024 * 1024));
  }
}
