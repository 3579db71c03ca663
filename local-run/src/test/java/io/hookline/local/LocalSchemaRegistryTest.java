package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the local run installs the registry's distribution: unpacked with tar into a partial folder
 * and moved into place whole, so an interrupted unpack is never taken for an installation; kept
 * afterwards. Starting the registry takes 15-60 s, more than this tier's budget: it is run by
 * {@code ./run-local --schema-registry}.
 */
class LocalSchemaRegistryTest {

  @TempDir Path tmp;

  @Test
  void unpacksTheArchiveOnceAndKeepsTheInstallation() throws Exception {
    Path content = Files.createDirectories(tmp.resolve("content"));
    Files.writeString(content.resolve("apicurio-registry-app-" + LocalSchemaRegistry.VERSION + "-runner.jar"), "runner");
    Files.createDirectories(content.resolve("lib"));
    Files.writeString(content.resolve("lib/a.jar"), "a");
    Path archive = tmp.resolve("app.tar.gz");
    Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", content.toString(), ".")
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();

    Path install = tmp.resolve("registry/app");
    Path runner = LocalSchemaRegistry.install(archive, install);
    assertThat(runner).isEqualTo(install.resolve("apicurio-registry-app-" + LocalSchemaRegistry.VERSION + "-runner.jar"));
    assertThat(Files.readString(runner)).isEqualTo("runner");
    assertThat(install.resolve("lib/a.jar")).exists();
    try (var siblings = Files.list(install.getParent())) {
      assertThat(siblings).as("no partial folder left").containsExactly(install);
    }

    Files.delete(archive);
    assertThat(LocalSchemaRegistry.install(archive, install)).as("installed: the archive is not read again").isEqualTo(runner);
  }

  @Test
  void anArchiveThatDoesNotUnpackIsNamedAndLeavesNoInstallation() throws Exception {
    Path archive = Files.writeString(tmp.resolve("broken.tar.gz"), "not a tar");
    Path install = tmp.resolve("registry/app");
    assertThatThrownBy(() -> LocalSchemaRegistry.install(archive, install)).hasMessageContaining(archive.toString());
    assertThat(install).doesNotExist();
    try (var siblings = Files.list(install.getParent())) {
      assertThat(siblings).as("no partial folder left").isEmpty();
    }
  }

  @Test
  void theRegistryUrlIsItsConfluentCompatibleApiOnLoopback() {
    assertThat(LocalSchemaRegistry.url(8085)).isEqualTo("http://127.0.0.1:8085/apis/ccompat/v7");
  }
}
