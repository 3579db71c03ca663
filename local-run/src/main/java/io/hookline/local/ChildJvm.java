package io.hookline.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the local run starts a child JVM: the {@code java} of the JDK that {@link ServiceJdk#HOME_VARIABLE}
 * names (in the given variables, else in the caller's environment), else the current process's, the given
 * classpath, {@link ExitWithParent} in front of the real main class, stdout and stderr appended to
 * one log file, and the caller's environment (so every {@code HOOKLINE_*} variable reaches the
 * child) overlaid with the given variables.
 *
 * <p>JVM options default to a small heap ({@value #DEFAULT_JVM_OPTIONS}); {@code
 * HOOKLINE_LOCAL_JAVA_OPTS} (in the given variables, else in the caller's environment) replaces
 * them.
 */
final class ChildJvm {

  static final String DEFAULT_JVM_OPTIONS = "-Xmx512m -XX:+UseSerialGC";
  static final String JAVA_OPTS_VARIABLE = "HOOKLINE_LOCAL_JAVA_OPTS";
  /** Logback configuration of every child: plain lines on stdout, which goes to its log file. */
  static final String LOGBACK_CONFIGURATION = "io/hookline/local/child-logback.xml";

  private ChildJvm() {}

  /** Starts {@code mainClass} tied to this process (see {@link ExitWithParent}). */
  static Process start(
      String mainClass, List<String> args, String classpath, Map<String, String> env, Path logFile) {
    return start(mainClass, args, classpath, env, logFile, List.of());
  }

  /** As above, with {@code extraOptions} after the configured JVM options (class-data sharing). */
  static Process start(String mainClass, List<String> args, String classpath, Map<String, String> env,
      Path logFile, List<String> extraOptions) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable(env));
    command.addAll(jvmOptions(env));
    command.addAll(extraOptions);
    command.add("-D" + ExitWithParent.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    command.add("-Dlogback.configurationFile=" + LOGBACK_CONFIGURATION);
    command.add("-cp");
    command.add(classpath);
    command.add(ExitWithParent.class.getName());
    command.add(mainClass);
    command.addAll(args);

    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      Files.writeString(
          logFile,
          "=== " + Instant.now() + " starting " + mainClass + " " + String.join(" ", args) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + mainClass + ": " + e.getMessage(), e);
    }
  }

  /** The classpath of the current JVM (under Surefire, its manifest-only jar, which works too). */
  static String currentClasspath() {
    return System.getProperty("java.class.path");
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The {@code java} of the JDK that {@code env} names for the children ({@link ServiceJdk}), else this JVM's. */
  static String javaExecutable(Map<String, String> env) {
    return ServiceJdk.of(env).java();
  }

  static List<String> jvmOptions(Map<String, String> env) {
    String configured = env.getOrDefault(JAVA_OPTS_VARIABLE, System.getenv(JAVA_OPTS_VARIABLE));
    String options = configured == null || configured.isBlank() ? DEFAULT_JVM_OPTIONS : configured;
    return Arrays.stream(options.trim().split("\\s+")).toList();
  }
}
