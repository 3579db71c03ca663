package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.local.fixtures.RunsUntilStopped;
import io.hookline.local.fixtures.SetsPoolParallelism;
import io.hookline.local.fixtures.StartsServiceThenWaits;
import java.io.File;
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

/** Child JVMs as the local run and the end-to-end tests use them: real processes, real signals. */
class ServiceProcessTest {

  private static final Duration START = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void stopSendsSigtermSoTheServiceShutsDownCleanly() throws IOException {
    Path marker = dir.resolve("marker");
    ServiceProcess service = start(marker, Map.of("HOOKLINE_TEST_VALUE", "from-env"));

    assertThat(Files.readString(service.logFile())).contains("HOOKLINE_TEST_VALUE=from-env");
    assertThat(service.stop(Duration.ofSeconds(20))).as("exited on SIGTERM").isTrue();

    assertThat(ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(Files.readString(marker)).isEqualTo("stopped gracefully");
  }

  @Test
  void killIsACrashNoShutdownHookRuns() {
    Path marker = dir.resolve("marker");
    ServiceProcess service = start(marker, Map.of());

    service.kill();

    assertThat(service.isAlive()).isFalse();
    assertThat(service.exitCode()).hasValue(137);
    assertThat(marker).doesNotExist();
  }

  @Test
  void ctrlCInTheTerminalIsLeftToTheParentWhichStopsChildrenInOrder() throws Exception {
    Path marker = dir.resolve("marker");
    ServiceProcess service = start(marker, Map.of());

    // The terminal sends SIGINT to the whole process group; the child must ignore it.
    Process sigint =
        new ProcessBuilder("kill", "-INT", Long.toString(service.pid()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(sigint.waitFor()).isZero();

    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(service::isAlive);
    assertThat(service.stop(Duration.ofSeconds(20))).isTrue();
    assertThat(marker).hasContent("stopped gracefully");
  }

  @Test
  void aChildShutsDownCleanlyWhenItsParentIsKilled() throws IOException {
    Path childLog = dir.resolve("child.log");
    Path marker = dir.resolve("marker");
    ServiceProcess parent =
        ServiceProcess.start(
            StartsServiceThenWaits.class.getName(),
            List.of(childLog.toString(), marker.toString()),
            Map.of(),
            dir.resolve("parent.log"));
    long childPid =
        await()
            .atMost(START)
            .until(() -> childPid(parent.logFile()), Optional::isPresent)
            .orElseThrow();
    await().atMost(START).until(() -> logContains(childLog, "ready"));

    parent.kill();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    assertThat(marker).hasContent("stopped gracefully");
    assertThat(Files.readString(childLog)).contains("parent process " + parent.pid() + " exited");
  }

  @Test
  void theServiceInitialisesBeforeTheWrapperLoadsTheJdksConcurrencyClasses() {
    ServiceProcess service =
        ServiceProcess.start(SetsPoolParallelism.class.getName(), List.of(), Map.of(), dir.resolve("pool.log"));

    await().atMost(START).until(() -> logContains(service.logFile(), "parallelism="));
    assertThat(service.logFile()).content().contains("parallelism=7");
  }

  private ServiceProcess start(Path marker, Map<String, String> env) {
    ServiceProcess service =
        ServiceProcess.start(
            RunsUntilStopped.class.getName(), List.of(marker.toString()), env, dir.resolve("service.log"));
    try {
      await().atMost(START).until(() -> logContains(service.logFile(), "ready"));
    } catch (RuntimeException e) {
      service.kill();
      throw e;
    }
    return service;
  }

  private static boolean logContains(Path log, String text) throws IOException {
    return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
  }

  private static Optional<Long> childPid(Path log) throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    return Files.readAllLines(log).stream()
        .filter(line -> line.startsWith("child-pid="))
        .map(line -> Long.parseLong(line.substring("child-pid=".length()).trim()))
        .findFirst();
  }
}
