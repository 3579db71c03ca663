package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.local.fixtures.RunsUntilStopped;
import io.hookline.local.fixtures.ServesHealth;
import io.hookline.testing.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's orchestration with a real broker and stand-in services (a worker and an API that
 * answers /health): readiness, the banner, what the services are given, a child dying on its own,
 * and a stop that leaves no process behind. The real services are driven by the end-to-end tests.
 */
@IntegrationTest
class LocalRunTest {

  @TempDir Path dataDir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private LocalRun run;

  @AfterEach
  void stopEverything() {
    if (run != null) {
      run.stop();
    }
    System.out.println("--- launcher stdout:\n" + text(out) + "--- launcher stderr:\n" + text(err));
  }

  @Test
  void startsEverythingSaysWhenItIsUpAndStopsEverythingWhenAChildDies() throws Exception {
    run =
        new LocalRun(
            new LocalRunSettings(dataDir, 0, 0, "zylker", Duration.ofSeconds(90)),
            Map.of("HOOKLINE_TOPIC_PREFIX", "acme."),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            List.of(
                Map.entry("worker", RunsUntilStopped.class.getName()),
                Map.entry("api", ServesHealth.class.getName())));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(run::runUntilStoppedOrFailed);

    await()
        .atMost(Duration.ofSeconds(150))
        .until(() -> exit.isDone() || text(out).contains(LocalRun.READY_LINE));
    assertThat(exit).as("still running; stderr: " + text(err)).isNotDone();

    LocalKafka kafka = run.kafka();
    String banner = text(out);
    String token = Files.readString(dataDir.resolve("dev-token")).trim();
    assertThat(banner)
        .contains("Kafka       " + kafka.bootstrapServers())
        .contains("kcat -P -b " + kafka.bootstrapServers() + " -t acme.events -k zylker")
        .contains("/api/v2/zylker/webhooks")
        .contains("/console/sign-in#token=" + token)
        .contains(token)
        .contains("Ctrl-C");
    assertThat(token.split("\\.")).hasSize(3);

    List<ServiceProcess> services = run.services();
    ServiceProcess api = services.get(1);
    assertThat(Files.readString(api.logFile()))
        .contains("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers())
        .contains("HOOKLINE_ALLOW_PRIVATE_TARGETS=true")
        .contains("HOOKLINE_INSTANCE_ID=local-api")
        .contains("HOOKLINE_JWT_SECRET set=true")
        .contains("HOOKLINE_SECRETS_KEY set=true");
    assertThat(dataDir.resolve("secrets-key")).as("the generated key is kept for the next run").exists();
    assertThat(api.logFile()).isEqualTo(dataDir.resolve("logs/api.log"));

    List<Long> pids = new ArrayList<>();
    pids.add(kafka.pid());
    services.forEach(service -> pids.add(service.pid()));

    services.get(0).kill();

    assertThat(exit.get()).isEqualTo(1);
    assertThat(text(err)).contains("worker: RunsUntilStopped").contains("exited unexpectedly").contains("worker.log");
    run.stop();
    assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .as("pid " + pid).isNotEqualTo(Optional.of(true)));
    assertThat(text(out)).contains("Stopped.");
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
