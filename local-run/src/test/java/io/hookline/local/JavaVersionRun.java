package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java <options> -cp jar -version}: whether a JVM starts with the options a cache gives it. */
final class JavaVersionRun {

  private JavaVersionRun() {}

  /** Runs it with the {@code java} executable given, its output in a file under {@code logDir}; its exit code. */
  static int exitCode(String java, List<String> options, Path jar, Path logDir) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.addAll(List.of("-cp", jar.toString(), "-version"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logDir.resolve("java-" + System.nanoTime() + ".log").toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("java -version ended").isTrue();
    return process.exitValue();
  }
}
