package io.hookline.bench.delivery;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How many requests of each kind the in-JVM broker has handled, from its request metrics in this
 * JVM's MBean server (empty for an external broker): the difference over a contender's run says
 * what broker work the contender caused, besides its deliveries.
 */
final class BrokerRequests {

  private BrokerRequests() {}

  /** Requests handled so far, by request name. */
  static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      for (ObjectName name : server.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
        Object count = server.getAttribute(name, "Count");
        if (count instanceof Number n) {
          out.merge(name.getKeyProperty("request"), n.longValue(), Long::sum);
        }
      }
    } catch (Exception e) {
      return Map.of();
    }
    return out;
  }

  /** The requests handled between two snapshots, most first, e.g. {@code Fetch 1,234, Produce 567}. */
  static String difference(Map<String, Long> before, Map<String, Long> after) {
    StringBuilder out = new StringBuilder();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(String.format("%,d", e.getValue())));
    return out.length() == 0 ? "none counted" : out.toString();
  }
}
