package io.hookline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The machine a benchmark ran on, for its report: figures only mean something with it. */
public final class BenchMachine {

  private BenchMachine() {}

  /** CPU, cores, JVM and its options, heap, OS and broker, as every report but the delivery one prints them. */
  public static String describe(String brokerKind) {
    String cpu = cpuModel().map(m -> m + ", ").orElse("");
    return String.format(Locale.ROOT, "%s%d cores available to the JVM, %s %s (%s), heap max %d MiB, %s %s, broker %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-XX:+Use") || a.startsWith("-Xmx"))
            .reduce((a, b) -> a + " " + b).orElse("default GC"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        "embedded".equals(brokerKind) ? "in-JVM KRaft (KafkaClusterTestKit, same JVM)" : brokerKind);
  }

  /** The CPU model from /proc/cpuinfo, when there is one. */
  public static Optional<String> cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
