package io.hookline.local;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real schema registry for the local run and the tests that need one: Apicurio Registry, its
 * Quarkus distribution from Maven Central ({@value #COORDINATES}), started as a child JVM on the
 * loopback interface only. Hookline and Confluent's clients speak to its Confluent-compatible API,
 * {@link #url(int)}.
 *
 * <p>The distribution archive is unpacked once into an install folder (kept, like the broker's
 * data); the registry's storage is an H2 database file in a folder of its own, so schema ids
 * survive a restart, as the records naming them survive in the broker's data folder. The process
 * is a {@link ServiceProcess}: it exits with the process that started it.
 */
public final class LocalSchemaRegistry {

  public static final String VERSION = "3.0.9";
  public static final String COORDINATES = "io.apicurio:apicurio-registry-app:" + VERSION + ":tar.gz:all";
  /** System property, then environment variable, naming the archive; else the local Maven repository's copy. */
  public static final String ARCHIVE_PROPERTY = "hookline.local.schema-registry-archive";
  public static final String ARCHIVE_VARIABLE = "HOOKLINE_LOCAL_SCHEMA_REGISTRY_ARCHIVE";
  /** The services' setting that switches their Avro topics to the registry's wire format. */
  public static final String URL_VARIABLE = "HOOKLINE_SCHEMA_REGISTRY_URL";

  private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";
  private static final String RUNNER_JAR = "apicurio-registry-app-" + VERSION + "-runner.jar";
  private static final Duration POLL = Duration.ofMillis(250);

  private LocalSchemaRegistry() {}

  /** The Confluent-compatible API of a registry started on {@code port}. */
  public static String url(int port) {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  /**
   * Starts the registry on 127.0.0.1:{@code port} and returns once its API answers, at most {@code
   * readyTimeout}; unpacks the distribution into {@code installDir} first if it is not there yet.
   * On failure the process is gone and the message carries the end of its log.
   */
  public static ServiceProcess start(Path installDir, Path storageDir, int port, Path logFile, Duration readyTimeout) {
    Path runner = install(archive(), installDir);
    String classpath = runner + File.pathSeparator + codeSource(ExitWithParent.class);
    Map<String, String> env =
        Map.of(
            "QUARKUS_HTTP_HOST", "127.0.0.1",
            "QUARKUS_HTTP_PORT", Integer.toString(port),
            "APICURIO_DATASOURCE_URL", "jdbc:h2:file:" + storageDir.toAbsolutePath().resolve("registry"));
    ServiceProcess registry = ServiceProcess.start(MAIN_CLASS, List.of(), env, logFile, classpath);
    try {
      awaitReady(registry, URI.create(url(port) + "/subjects"), readyTimeout);
    } catch (RuntimeException e) {
      registry.kill();
      throw e;
    }
    return registry;
  }

  /** For {@code ./run-local --schema-registry}: installed and stored under the data folder, logging beside the services. */
  static ServiceProcess startForLocalRun(LocalRunSettings settings, int port, PrintStream out) {
    Path log = settings.logDir().resolve("schema-registry.log");
    out.println("Starting Apicurio Registry on " + url(port) + "  (log: " + LocalRun.display(log) + ")");
    Path home = settings.dataDir().resolve("schema-registry");
    return start(home.resolve("app-" + VERSION), home.resolve("data"), port, log, settings.readyTimeout());
  }

  /** The distribution archive: {@link #ARCHIVE_PROPERTY}, {@link #ARCHIVE_VARIABLE}, else the local Maven repository. */
  public static Path archive() {
    Optional<String> configured =
        Optional.ofNullable(System.getProperty(ARCHIVE_PROPERTY)).or(() -> Optional.ofNullable(System.getenv(ARCHIVE_VARIABLE)));
    Path archive =
        configured.map(Path::of).orElseGet(() -> Path.of(
            System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"),
            "io/apicurio/apicurio-registry-app", VERSION, "apicurio-registry-app-" + VERSION + "-all.tar.gz"));
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "Apicurio Registry's distribution is not at " + archive + "; ./run-local --schema-registry fetches "
              + COORDINATES + " into the local Maven repository, or set " + ARCHIVE_VARIABLE);
    }
    return archive;
  }

  /** Unpacks {@code archive} into {@code installDir} unless a complete copy is there (moved in whole). */
  static Path install(Path archive, Path installDir) {
    Path runner = installDir.resolve(RUNNER_JAR);
    if (Files.isRegularFile(runner)) {
      return runner;
    }
    try {
      Files.createDirectories(installDir.getParent());
      Path partial = Files.createTempDirectory(installDir.getParent(), installDir.getFileName() + ".partial");
      try {
        unpack(archive, partial);
      } catch (RuntimeException | IOException e) {
        deleteRecursively(partial);
        throw e;
      }
      Files.move(partial, installDir);
      return runner;
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack " + archive + " into " + installDir, e);
    }
  }

  private static void unpack(Path archive, Path into) throws IOException {
    try {
      Process tar =
          new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(tar.getInputStream().readAllBytes());
      if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
        tar.destroyForcibly();
        throw new IllegalStateException("could not unpack " + archive + " with tar: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking " + archive, e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void awaitReady(ServiceProcess registry, URI probe, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the schema registry", e);
      }
      if (!registry.isAlive()) {
        throw new IllegalStateException("the schema registry: " + registry.describeUnexpectedExit());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the schema registry did not answer GET " + probe + " within " + timeout + "; last lines of "
                + registry.logFile() + ":\n    " + String.join("\n    ", registry.logTail(40)));
      }
      // The exit of the process doubles as the poll interval's timer.
      registry.awaitExit(POLL);
    }
  }

  private static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no file location for " + type, e);
    }
  }
}
