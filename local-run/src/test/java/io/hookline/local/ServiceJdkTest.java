package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the local run picks its services' JDK: from folders laid out as JDKs, no JVM started. */
class ServiceJdkTest {

  @TempDir Path dir;

  @Test
  void theNewestJdk25OrLaterInstalledWhenTheLauncherRunsOn17() throws IOException {
    Path current = jdk("java-17", "17.0.15");
    Path temurin25 = jdk("temurin-25", "25.0.3");
    Path jdk21 = jdk("jdk-21", "21.0.2");
    ServiceJdk found = ServiceJdk.find(Map.of(), current, 17, List.of(current, jdk21, temurin25, dir.resolve("empty")));
    assertThat(found.home()).isEqualTo(temurin25);
    assertThat(found.aot()).isTrue();
    assertThat(found.java()).isEqualTo(temurin25.resolve("bin/java").toString());
    assertThat(found.note()).contains("JDK 25").contains("AOT caches");
  }

  @Test
  void javaHomeBeforeTheInstalledOnesAndTheLaunchersOwnWhenItIs25OrLater() throws IOException {
    Path current = jdk("java-17", "17.0.15");
    Path jdk26 = jdk("jdk-26", "26");
    Path temurin25 = jdk("temurin-25", "25.0.3");
    assertThat(ServiceJdk.find(Map.of("JAVA_HOME", jdk26.toString()), current, 17, List.of(temurin25)).home())
        .isEqualTo(jdk26);
    assertThat(ServiceJdk.find(Map.of("JAVA_HOME", current.toString()), temurin25, 25, List.of(jdk26)).home())
        .as("the launcher on 25 keeps its own").isEqualTo(temurin25);
  }

  @Test
  void withNoJdk25TheLaunchersOwnJdkAndOneLineSayingSo() throws IOException {
    Path current = jdk("java-17", "17.0.15");
    Path old = jdk("java-11", "11.0.2");
    Path notJdk = Files.createDirectories(dir.resolve("temurin-25-jre"));
    Files.writeString(notJdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n"); // no bin/java
    ServiceJdk found = ServiceJdk.find(Map.of(), current, 17, List.of(old, notJdk));
    assertThat(found.home()).isEqualTo(current);
    assertThat(found.aot()).isFalse();
    assertThat(found.note()).startsWith("no JDK 25+ found").contains("JDK 17 with class-data archives")
        .doesNotContain("\n");
    assertThat(ServiceJdk.find(Map.of(), current, 17, ServiceJdk.installed(dir.resolve("missing"))).home())
        .as("no /usr/lib/jvm at all").isEqualTo(current);
  }

  @Test
  void theVariableIsTakenAsGivenAndMustBeAJdk() throws IOException {
    Path current = jdk("java-17", "17.0.15");
    Path jdk21 = jdk("jdk-21", "21.0.2");
    Path temurin25 = jdk("temurin-25", "25.0.3");
    ServiceJdk given = ServiceJdk.find(Map.of(ServiceJdk.HOME_VARIABLE, jdk21.toString()), current, 17, List.of(temurin25));
    assertThat(given.home()).isEqualTo(jdk21);
    assertThat(given.aot()).as("JDK 21: class-data archives").isFalse();
    assertThat(given.note()).contains(ServiceJdk.HOME_VARIABLE);
    assertThatThrownBy(() -> ServiceJdk.find(Map.of(ServiceJdk.HOME_VARIABLE, dir.resolve("nope").toString()),
        current, 17, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServiceJdk.HOME_VARIABLE);

    Map<String, String> env = new java.util.HashMap<>();
    ServiceJdk.find(Map.of(), current, 17, List.of(temurin25)).into(env);
    assertThat(ServiceJdk.of(env).home()).as("what the services are started with").isEqualTo(temurin25);
    assertThat(ServiceJdk.of(env).aot()).isTrue();
  }

  @Test
  void versionsFromTheReleaseFile() throws IOException {
    assertThat(ServiceJdk.featureOf(jdk("a", "25.0.3"))).hasValue(25);
    assertThat(ServiceJdk.featureOf(jdk("b", "1.8.0_402"))).hasValue(8);
    assertThat(ServiceJdk.featureOf(jdk("c", "26-ea"))).hasValue(26);
    assertThat(ServiceJdk.featureOf(dir.resolve("none"))).isEmpty();
  }

  /** A folder laid out as a JDK: {@code release} with its version, an executable {@code bin/java}. */
  private Path jdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
