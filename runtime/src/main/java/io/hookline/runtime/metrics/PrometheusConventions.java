package io.hookline.runtime.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Keeps the metrics that Micrometer's binders copy (Kafka clients, Kafka Streams, the JVM and the
 * process) within Prometheus' naming rules, so that {@code promtool check metrics} accepts every
 * service's {@code /metrics}:
 *
 * <ul>
 *   <li>metrics whose names or units are abbreviated, non-base units ({@code io-time-ns-total},
 *       {@code start-time-ms}, {@code txn-commit-time-ns-total}, {@code process.cpu.time} in ns)
 *       are left out: their values are in that unit, so they cannot be renamed, and the {@code
 *       *-ratio}, {@code *-rate} and {@code *.usage} metrics beside them tell the same;
 *   <li>gauges named {@code *.count}, a suffix Prometheus reserves for histograms, are renamed:
 *       Kafka's {@code connection-count} becomes {@code connections}, {@code system.cpu.count}
 *       {@code system.cpus}, Kafka Streams' {@code active-buffer-count} {@code active-buffers},
 *       any other {@code *.current};
 *   <li>a meter registered without a description (Kafka's, Micronaut's HTTP and executor timers)
 *       gets one.
 * </ul>
 *
 * <p>Micronaut applies every {@link MeterFilter} bean to its meter registry before anything is
 * registered.
 */
@Singleton
public class PrometheusConventions implements MeterFilter {

  private static final Pattern ABBREVIATED_UNIT = Pattern.compile("(^|\\.)(ns|ms|us)(\\.|$)");

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    String unit = id.getBaseUnit();
    if (ABBREVIATED_UNIT.matcher(id.getName()).find() || "ns".equals(unit) || "ms".equals(unit) || "us".equals(unit)) {
      return MeterFilterReply.DENY;
    }
    return MeterFilterReply.NEUTRAL;
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    String name = renamed(id);
    String description = id.getDescription() == null || id.getDescription().isBlank()
        ? describe(name)
        : id.getDescription();
    if (name.equals(id.getName()) && description.equals(id.getDescription())) {
      return id;
    }
    return new Meter.Id(name, Tags.of(id.getTags()), id.getBaseUnit(), description, id.getType());
  }

  /** A gauge named {@code *.count} (Prometheus reserves {@code _count} for histograms and summaries), renamed. */
  private static String renamed(Meter.Id id) {
    String name = id.getName();
    if (id.getType() != Meter.Type.GAUGE || !name.endsWith(".count")) {
      return name;
    }
    String stem = name.substring(0, name.length() - ".count".length());
    return switch (stem.substring(stem.lastIndexOf('.') + 1)) {
      case "connection" -> stem.substring(0, stem.lastIndexOf('.')) + ".connections";
      case "cpu" -> stem + "s";
      case "buffer" -> stem + "s";
      default -> stem + ".current";
    };
  }

  private static String describe(String name) {
    return switch (name) {
      case "http.server.requests" -> "HTTP requests served, by method, route template (uri), status and outcome";
      case "http.client.requests" -> "HTTP requests sent, by method, route template (uri), status and outcome";
      case "executor" -> "Time the tasks of an executor took";
      default -> (name.startsWith("kafka.") ? "Kafka client metric " : "Metric ") + name;
    };
  }
}
