package io.hookline.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code promtool check metrics} (Prometheus' own linter, Debian package {@code prometheus}) over a
 * service's real {@code /metrics} text. Outside CI a missing promtool makes the calling test report
 * itself skipped, never a silent pass; with {@code CI=true} it is a failure ({@code .ci/run}
 * installs it).
 */
public final class Promtool {

  private Promtool() {}

  /** Fails with promtool's findings unless it accepts {@code metrics}. */
  public static void assertValid(String metrics) throws IOException, InterruptedException {
    Optional<Path> promtool = find();
    if (promtool.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("promtool is not installed; .ci/run installs it (apt-get install prometheus)");
    }
    assumeTrue(promtool.isPresent(), "promtool is not installed (apt-get install prometheus): skipped");
    Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool check metrics did not finish within 60 s");
    }
    assertEquals(0, p.exitValue(), () -> "promtool check metrics:\n" + output);
  }

  static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), Stream.of("/usr/bin", "/usr/local/bin"))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
