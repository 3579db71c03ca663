package io.hookline.runtime.metrics;

import io.micrometer.core.instrument.Meter;
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
 *       {@code system.cpus};
 *   <li>a metric Kafka registered without a description gets one naming it.
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
    if ("system.cpu.count".equals(id.getName())) {
      return id.withName("system.cpus");
    }
    if (!id.getName().startsWith("kafka.")) {
      return id;
    }
    String name = id.getName().endsWith(".connection.count")
        ? id.getName().substring(0, id.getName().length() - ".connection.count".length()) + ".connections"
        : id.getName();
    String description = id.getDescription() == null || id.getDescription().isBlank()
        ? "Kafka client metric " + name
        : id.getDescription();
    if (name.equals(id.getName()) && description.equals(id.getDescription())) {
      return id;
    }
    return new Meter.Id(name, io.micrometer.core.instrument.Tags.of(id.getTags()), id.getBaseUnit(), description,
        id.getType());
  }
}
