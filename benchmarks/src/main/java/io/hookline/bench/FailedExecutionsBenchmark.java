package io.hookline.bench;

import io.hookline.testing.Folders;
import io.hookline.testing.KafkaBroker;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The failed-executions view benchmark: with 1,000,000 failed executions over 10,000
 * webhooks in the view, how long does a 50-item page query take over HTTP on the instance that owns
 * the webhook (and, with {@code forwarding=on}, through an instance that forwards it to the owner),
 * and how long does an instance whose local state was deleted take to restore the view from its
 * changelog and answer correctly again. Every figure comes with a baseline measured in the same run
 * (machines are shared and noisy, so only same-run ratios are claims): page queries against a
 * cheap authenticated request to the same server by the same client (GET the webhook), forwarded
 * queries against the same queries sent to the owner, the restore against a plain consumer reading
 * the same changelog topics end to end.
 *
 * <p>Also, on the same data: the delivery statistics queries and the console's pages against the
 * page query, and how soon the statistics count attempts written at the dispatcher's rate.
 *
 * <p>Exit 0: measured, every target met (p99 < 10 ms on the owner, restore < 60 s, statistics
 * queries p99 < 10 ms, console pages p99 < 50 ms, statistics fresh within 2 s at p99); 3: measured, a
 * target missed; 1: not measured (a wrong answer, a timeout). Run it with
 * {@code ./bench failed-executions [records=N] [webhooks=N] [forwarding=off]}.
 */
public final class FailedExecutionsBenchmark {

  private FailedExecutionsBenchmark() {}

  public static void main(String[] args) {
    BenchExit.afterRunning(() -> run(args));
  }

  private static int run(String[] args) throws Exception {
    // One logback configuration for the benchmark and for the query-api's own class loader: by URL,
    // so that loader (which does not hold the benchmark's resources) finds it too.
    URL logConfig = FailedExecutionsBenchmark.class.getResource("/bench-logback.xml");
    if (logConfig != null) {
      System.setProperty("logback.configurationFile", logConfig.toString());
    }
    FailedExecutionsSettings settings = FailedExecutionsSettings.from(args, System.getenv());
    Instant started = Instant.now();
    Progress.log("Failed executions: %,d over %,d webhooks, %d partitions, forwarding %s",
        settings.records(), settings.webhooks(), settings.partitions(), settings.forwarding() ? "on" : "off");
    KafkaBroker startedBroker = BenchExit.startBroker();
    // The instances' RocksDB state: deleted when the run ends, also when it fails or is interrupted.
    Path stateRoot = Files.createTempDirectory("hookline-bench-state-");
    Thread cleanUp = new Thread(() -> deleteQuietly(stateRoot), "bench-state-clean-up");
    Runtime.getRuntime().addShutdownHook(cleanUp);
    try (KafkaBroker broker = startedBroker;
         FailedExecutionsRun run = new FailedExecutionsRun(broker, settings, stateRoot)) {
      FailedExecutionsReport report = run.run();
      report.took = Duration.between(started, Instant.now());
      System.out.print(report.render(settings, BenchMachine.describe(broker.kind())));
      System.out.flush();
      if (report.owner.stream().anyMatch(r -> r.errors() > 0)) {
        System.err.println("Wrong answers from the owner: not a measurement");
        return 1;
      }
      return report.targetsMet() ? 0 : 3;
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      Folders.deleteRecursively(dir);
    } catch (UncheckedIOException e) {
      System.err.println("Could not delete " + dir + ": " + e);
    }
  }
}
