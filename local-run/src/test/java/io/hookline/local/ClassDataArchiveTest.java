package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-data archives with real JVMs: the first start records its classes, the dump makes an
 * archive that the next start maps, a rebuilt jar gets an archive of its own, and a JVM given an
 * archive of another classpath still runs.
 */
class ClassDataArchiveTest {

  private static final String MAIN = "io.hookline.example.ExampleApplication";

  @TempDir Path dir;

  @Test
  void theFirstStartRecordsTheDumpWritesTheArchiveTheNextStartMapsItAndARebuiltJarGetsItsOwn() throws Exception {
    Path jar = jar("service.jar");
    Map<String, String> env = Map.of(ClassDataArchive.CACHE_VARIABLE, dir.resolve("cache").toString());
    ClassDataArchive first = ClassDataArchive.of(MAIN, jar.toString(), env).orElseThrow();

    List<String> recording = first.jvmOptions();
    assertThat(recording).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
    assertThat(java(recording, jar)).as("a recording start").isZero();
    assertThat(first.create().get(120, TimeUnit.SECONDS)).as("archive written").isTrue();

    ClassDataArchive next = ClassDataArchive.of(MAIN, jar.toString(), env).orElseThrow();
    assertThat(next.archive()).isEqualTo(first.archive()).isRegularFile();
    assertThat(next.archive().getFileName().toString()).startsWith("ExampleApplication-").endsWith(".jsa");
    List<String> mapping = new ArrayList<>(next.jvmOptions());
    assertThat(mapping).containsExactly("-XX:SharedArchiveFile=" + next.archive(), "-Xshare:auto");
    mapping.add("-Xshare:on"); // fails to start unless the archive maps
    assertThat(java(mapping, jar)).as("a start that must map the archive").isZero();
    try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".log")))
          .as("nothing but the archive left").containsExactly(next.archive().getFileName().toString());
    }

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plus(Duration.ofMinutes(1))));
    ClassDataArchive rebuilt = ClassDataArchive.of(MAIN, jar.toString(), env).orElseThrow();
    assertThat(rebuilt.archive()).as("a rebuilt jar's archive").isNotEqualTo(next.archive());
    assertThat(rebuilt.jvmOptions()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
    rebuilt.abandon();

    assertThat(java(List.of("-XX:SharedArchiveFile=" + next.archive(), "-Xshare:auto"), jar("other.jar")))
        .as("a JVM given an archive of another classpath runs without it").isZero();
  }

  @Test
  void noArchiveWhenOffUnsetOrWithClassesOutsideJars() throws IOException {
    Path jar = jar("service.jar");
    Path classes = Files.createDirectories(dir.resolve("classes/io"));
    Files.writeString(classes.resolve("A.class"), "x");
    assertThat(ClassDataArchive.of(MAIN, jar.toString(), Map.of(ClassDataArchive.CACHE_VARIABLE, "off"))).isEmpty();
    assertThat(ClassDataArchive.of(MAIN, jar.toString(), Map.of())).isEmpty();
    assertThat(ClassDataArchive.of(MAIN, jar + java.io.File.pathSeparator + dir.resolve("classes"),
        Map.of(ClassDataArchive.CACHE_VARIABLE, dir.resolve("cache").toString()))).isEmpty();
  }

  private Path jar(String name) throws IOException {
    Path jar = dir.resolve(name);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    return jar;
  }

  /** Runs {@code java <options> -cp jar -version}; its exit code. */
  private int java(List<String> options, Path jar) throws IOException, InterruptedException {
    return JavaVersionRun.exitCode(ChildJvm.javaExecutable(), options, jar, dir);
  }
}
