package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the local run picks its services' JDK: from folders laid out as JDKs, no JVM started. */
class ServiceJdkTest {

  @TempDir Path dir;

  @Test
  void theLaunchersOwnJdkWhenNoneIsNamedWithAotCachesFrom25AndArchivesBefore() throws IOException {
    Path current = jdk("java-17", "17.0.15");
    ServiceJdk found = ServiceJdk.find(Map.of("JAVA_HOME", jdk("temurin-25", "25.0.3").toString()), current, 17);
    assertThat(found.home()).as("a newer JDK beside it is not picked by itself").isEqualTo(current);
    assertThat(found.aot()).isFalse();
    assertThat(found.note()).isEqualTo("the services run on JDK 17 with class-data archives");

    Path temurin25 = jdk("temurin-25b", "25.0.3");
    ServiceJdk on25 = ServiceJdk.find(Map.of(), temurin25, 25);
    assertThat(on25.home()).isEqualTo(temurin25);
    assertThat(on25.aot()).isTrue();
    assertThat(on25.java()).isEqualTo(temurin25.resolve("bin/java").toString());
    assertThat(on25.note()).isEqualTo("the services run on JDK 25 with AOT caches");
  }

  @Test
  void theVariableIsTakenAsGivenAndMustBeAJdk() throws IOException {
    Path current = jdk("java-17", "17.0.15");
    Path jdk21 = jdk("jdk-21", "21.0.2");
    Path temurin25 = jdk("temurin-25", "25.0.3");
    ServiceJdk given = ServiceJdk.find(Map.of(ServiceJdk.HOME_VARIABLE, jdk21.toString()), current, 17);
    assertThat(given.home()).isEqualTo(jdk21);
    assertThat(given.aot()).as("JDK 21: class-data archives").isFalse();
    assertThat(given.note()).contains(ServiceJdk.HOME_VARIABLE);
    assertThatThrownBy(() -> ServiceJdk.find(Map.of(ServiceJdk.HOME_VARIABLE, dir.resolve("nope").toString()),
        current, 17)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServiceJdk.HOME_VARIABLE);

    Map<String, String> env = new java.util.HashMap<>();
    ServiceJdk.find(Map.of(ServiceJdk.HOME_VARIABLE, temurin25.toString()), current, 17).into(env);
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
