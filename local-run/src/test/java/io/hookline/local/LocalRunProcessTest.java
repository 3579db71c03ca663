package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.local.fixtures.RunsUntilStopped;
import io.hookline.local.fixtures.ServesHealth;
import io.hookline.testing.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as people run it: a real process that says when it is up and, on SIGTERM (what
 * Ctrl-C amounts to for it), stops its services and the broker before exiting, leaving no process
 * behind. Stand-in services replace the real ones (see {@link LocalRun#SERVICES_PROPERTY}).
 */
@IntegrationTest
class LocalRunProcessTest {

  @TempDir Path dataDir;

  @Test
  void sigtermStopsEveryChildThenTheLauncher() throws IOException {
    Path log = dataDir.resolve("launcher.log");
    String services =
        "worker=" + RunsUntilStopped.class.getName() + ",api=" + ServesHealth.class.getName();
    ServiceProcess launcher =
        ServiceProcess.start(
            LocalRun.class.getName(),
            List.of("--data-dir", dataDir.toString(), "--kafka-port", "0", "--http-port", "0"),
            Map.of(
                ChildJvm.JAVA_OPTS_VARIABLE,
                "-Xmx512m -XX:+UseSerialGC -D" + LocalRun.SERVICES_PROPERTY + "=" + services),
            log,
            ChildJvm.currentClasspath());
    try {
      await()
          .atMost(Duration.ofSeconds(150))
          .until(() -> !launcher.isAlive() || read(log).contains(LocalRun.READY_LINE));
      assertThat(launcher.isAlive()).as(read(log)).isTrue();
      List<ProcessHandle> children =
          ProcessHandle.of(launcher.pid()).orElseThrow().children().toList();
      assertThat(children).as("broker and two services").hasSize(3);

      assertThat(launcher.stop(Duration.ofSeconds(60))).as("stopped on SIGTERM").isTrue();

      assertThat(read(log)).contains("Stopping the services", "Stopping Kafka", "Stopped.");
      assertThat(children)
          .allSatisfy(child -> assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive))
              .isNotEqualTo(Optional.of(true)));
    } finally {
      launcher.kill();
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
