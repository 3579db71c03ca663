package io.hookline.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry for tests: Apicurio Registry (its Quarkus runner from Maven Central, in-memory
 * storage) as a child JVM on a loopback port. It serves the Confluent-compatible REST API at
 * {@link #confluentApiUrl()} ({@code /apis/ccompat/v7}), the API Confluent, Redpanda and Karapace
 * serve too.
 *
 * <p>The build of this module unpacks the distribution into {@code test-support/target/apicurio-registry}
 * (see its pom.xml), so nothing is downloaded here. Starting takes about 14 s on a quiet machine, so a
 * test JVM shares one registry ({@link #shared()}, stopped when the JVM exits), as the tests share
 * nothing else: tests keep apart through their own subjects (topic-name subjects under a unique topic
 * prefix). A test that stops or breaks its registry starts its own with {@link #start()} and closes it.
 *
 * <p>Without the unpacked distribution (a test run outside the Maven build), a test that needs the
 * registry reports itself skipped; with {@code CI=true} that is a failure.
 */
public final class ApicurioRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 60;

  private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static ApicurioRegistry shared;

  private final Process process;
  private final int port;
  private final Path workDir;
  private final Deque<String> logTail;

  private ApicurioRegistry(Process process, int port, Path workDir, Deque<String> logTail) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.logTail = logTail;
  }

  /** The registry of this test JVM: started on first use, stopped when the JVM exits. */
  public static synchronized ApicurioRegistry shared() {
    if (shared == null || !shared.process.isAlive()) {
      ApicurioRegistry started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "apicurio-registry-stop"));
      shared = started;
    }
    return shared;
  }

  /** A registry of the caller's own, which the caller closes. */
  public static ApicurioRegistry start() {
    Path home = home();
    Path runner = home.resolve("apicurio-registry-app-" + properties().getProperty("version") + "-runner.jar");
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return launch(runner, home.resolveSibling("apicurio-registry-runs"));
      } catch (PortTakenException e) {
        // The free port found was taken by someone else before the registry bound it: try another.
        last = e;
      }
    }
    throw last;
  }

  /** The registry's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The Confluent-compatible API's base URL: what a Confluent client calls its registry URL. */
  public String confluentApiUrl() {
    return url() + "/apis/ccompat/v7";
  }

  public int port() {
    return port;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the registry and every process it started, and deletes its work folder. */
  @Override
  public void close() {
    stopTree(process);
    Folders.deleteRecursively(workDir);
  }

  private static ApicurioRegistry launch(Path runner, Path runsDir) {
    int port = freePort();
    Path workDir;
    try {
      workDir = Files.createDirectories(runsDir.resolve("registry-" + ProcessHandle.current().pid() + "-" + port));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the registry's work folder under " + runsDir, e);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Quick start, small footprint: a test registry serves a few dozen schemas.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        // Its temporary files (Vert.x cache) stay in its work folder, deleted on close.
        "-Djava.io.tmpdir=" + workDir, "-Dvertx.cacheDirBase=" + workDir.resolve("vertx-cache"),
        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
        "-jar", runner.toString()));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Folders.deleteRecursively(workDir);
      throw new UncheckedIOException("Cannot start Apicurio Registry: " + command, e);
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> drain(process.getInputStream(), tail), "apicurio-registry-log-" + port);
    reader.setDaemon(true);
    reader.start();
    ApicurioRegistry registry = new ApicurioRegistry(process, port, workDir, tail);
    long started = System.nanoTime();
    try {
      Awaitility.await("Apicurio Registry on port " + port)
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !process.isAlive() || registry.answers());
    } catch (ConditionTimeoutException e) {
      registry.close();
      throw new IllegalStateException("Apicurio Registry not ready within " + READY_TIMEOUT + "; its log:\n"
          + registry.logTail(), e);
    }
    if (!process.isAlive()) {
      registry.close();
      String log = registry.logTail();
      if (log.contains("Port " + port + " seems to be in use") || log.contains("Address already in use")) {
        throw new PortTakenException(port);
      }
      throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + "; its log:\n" + log);
    }
    LOG.info("Apicurio Registry ready at {} in {} ms", registry.url(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return registry;
  }

  private boolean answers() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/subjects"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    try {
      return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String logTail() {
    synchronized (logTail) {
      return String.join("\n", logTail);
    }
  }

  private static void drain(InputStream output, Deque<String> tail) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        LOG.debug("registry: {}", line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > LOG_TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process ended and closed its output.
    }
  }

  private static void stopTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port for the registry", e);
    }
  }

  private static Path home() {
    Path home = Path.of(properties().getProperty("home"));
    if (!Files.isDirectory(home)) {
      String message = "Apicurio Registry is not unpacked at " + home
          + " (the Maven build of test-support puts it there: ./mvnw -pl test-support -am verify -DskipTests).";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      throw new TestAbortedException(message + " Skipped (with CI=true this fails).");
    }
    return home;
  }

  private static Properties properties() {
    Properties properties = new Properties();
    try (InputStream in = ApicurioRegistry.class.getResourceAsStream("apicurio-registry.properties")) {
      if (in == null) {
        throw new IllegalStateException("apicurio-registry.properties is missing: build test-support with Maven");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static final class PortTakenException extends IllegalStateException {
    PortTakenException(int port) {
      super("Port " + port + " was taken before Apicurio Registry could bind it");
    }
  }
}
