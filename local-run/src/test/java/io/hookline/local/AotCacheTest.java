package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.local.fixtures.RunsUntilStopped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AOT caches with a real JDK 25+ (one installed beside the build's, named to the local run as
 * {@code HOOKLINE_LOCAL_JAVA_HOME} names it; skipped where there is none, and a failure under
 * {@code CI=true}): the first run records and writes its recording when
 * it stops, the next start makes the cache from it once ready, and the start after runs from it.
 */
class AotCacheTest {

  private static final String MAIN = RunsUntilStopped.class.getName();

  @TempDir Path dir;

  private static final Path INSTALLED = Path.of("/usr/lib/jvm");

  /** The newest JDK 25+ in JAVA_HOME or under /usr/lib/jvm, named as the variable names one. */
  private static ServiceJdk installedAotJdk() throws IOException {
    List<Path> homes = new ArrayList<>();
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      homes.add(Path.of(javaHome));
    }
    if (Files.isDirectory(INSTALLED)) {
      try (Stream<Path> installed = Files.list(INSTALLED)) {
        installed.forEach(homes::add);
      }
    }
    return homes.stream()
        .filter(home -> ServiceJdk.featureOf(home).orElse(0) >= ServiceJdk.AOT_FEATURE)
        .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
        .max(java.util.Comparator.comparingInt(home -> ServiceJdk.featureOf(home).orElse(0)))
        .map(home -> ServiceJdk.find(Map.of(ServiceJdk.HOME_VARIABLE, home.toString())))
        .orElse(new ServiceJdk(Path.of(System.getProperty("java.home")), 0, ""));
  }

  @Test
  void theFirstStartRecordsTheCacheIsMadeOnceItIsReadyAndTheNextStartRunsFromIt() throws Exception {
    ServiceJdk jdk = installedAotJdk();
    String missing = "no JDK " + ServiceJdk.AOT_FEATURE + "+ under " + INSTALLED + " or in JAVA_HOME";
    // The machines CI runs on have one (Temurin 25 beside the default JDK): there its absence is a failure.
    assertThat(jdk.aot() || !"true".equalsIgnoreCase(System.getenv("CI"))).as(missing).isTrue();
    assumeTrue(jdk.aot(), missing);
    Path jar = serviceJar();
    Map<String, String> env = new java.util.HashMap<>(Map.of(ClassDataArchive.CACHE_VARIABLE, dir.resolve("cache").toString()));
    jdk.into(env);

    try (ServiceProcess first = ServiceProcess.start(MAIN, List.of(), env, dir.resolve("first.log"), jar.toString())) {
      awaitReady(first);
      assertThat(first.archiveClasses().get(60, TimeUnit.SECONDS)).as("no recording to make a cache from yet").isFalse();
      assertThat(first.stop()).as("stopped on SIGTERM").isTrue();
    }
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      assertThat(files.map(p -> p.getFileName().toString())).as("the first run's recording, written at its exit")
          .anyMatch(n -> n.startsWith("RunsUntilStopped-") && n.endsWith(".aotconf"));
    }
    try (ServiceProcess second = ServiceProcess.start(MAIN, List.of(), env, dir.resolve("second.log"), jar.toString())) {
      awaitReady(second);
      assertThat(second.archiveClasses().get(180, TimeUnit.SECONDS)).as("cache made from the first run's recording").isTrue();
    }
    AotCache next = AotCache.of(MAIN, jar.toString(), env, jdk, List.of()).orElseThrow();
    assertThat(next.cache()).isRegularFile();
    assertThat(next.cache().getFileName().toString()).startsWith("RunsUntilStopped-").endsWith(".aot");
    List<String> options = new ArrayList<>(next.jvmOptions());
    assertThat(options).containsExactly("-XX:AOTCache=" + next.cache());
    options.add("-XX:AOTMode=on"); // fails to start unless the cache is usable
    assertThat(java(jdk, options, jar)).as("a start that must use the cache").isZero();
    assertThat(next.create(ProcessHandle.current()).get(60, TimeUnit.SECONDS)).as("a start with the cache").isTrue();
    try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".log")))
          .as("nothing but the cache left: recordings used or dropped, no lock, no partial file")
          .containsExactly(next.cache().getFileName().toString());
    }
    assertThat(AotCache.of(MAIN, jar.toString(), Map.of(ClassDataArchive.CACHE_VARIABLE, "off"), jdk, List.of()))
        .isEmpty();
  }

  private static void awaitReady(ServiceProcess service) {
    Awaitility.await("start ready").atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(service.logFile()).contains("ready"));
  }

  /** A jar with the stand-in service and the launcher's wrapper main class, as a service's classpath is jars. */
  private Path serviceJar() throws IOException {
    Path jar = dir.resolve("service.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> type : List.of(RunsUntilStopped.class, ExitWithParent.class)) {
        String resource = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(resource));
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Runs {@code java <options> -cp jar -version}; its exit code. */
  private int java(ServiceJdk jdk, List<String> options, Path jar) throws IOException, InterruptedException {
    return JavaVersionRun.exitCode(jdk.java(), options, jar, dir);
  }
}
