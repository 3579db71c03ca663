package io.hookline.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running child JVM with a name and a log file: the lifecycle shared by {@link LocalKafka} and
 * {@link ServiceProcess}. {@link #stop(Duration)} is SIGTERM, then SIGKILL after the grace period;
 * {@link #kill()} is SIGKILL at once. Both return only when the process is gone.
 */
final class ChildProcess {

  private final String name;
  private final Process process;
  private final Path logFile;

  ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path logFile() {
    return logFile;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true if it exited on SIGTERM. */
  boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    if (waitFor(grace)) {
      return true;
    }
    kill();
    return false;
  }

  /** SIGTERM, without waiting. */
  void signalStop() {
    process.destroy();
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** The last {@code lines} lines of the log file (at most the last 64 KiB of it). */
  List<String> logTail(int lines) {
    if (!Files.exists(logFile)) {
      return List.of();
    }
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      long start = Math.max(0, length - 64 * 1024);
      byte[] bytes = new byte[(int) (length - start)];
      file.seek(start);
      file.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(could not read " + logFile + ": " + e.getMessage() + ")");
    }
  }

  /** {@code last lines of <log file>:} and its last {@code lines} lines, indented, for exception messages. */
  String lastLinesOfLog(int lines) {
    return "last lines of " + logFile + ":\n    " + String.join("\n    ", logTail(lines));
  }

  /** A message for a process that exited when it should not have, with the end of its log. */
  String describeUnexpectedExit() {
    StringBuilder message =
        new StringBuilder()
            .append(name)
            .append(" (pid ")
            .append(pid())
            .append(") exited unexpectedly")
            .append(exitCode().isPresent() ? " with code " + exitCode().getAsInt() : "")
            .append(". Last lines of ")
            .append(logFile)
            .append(":\n");
    logTail(40).forEach(line -> message.append("    ").append(line).append('\n'));
    return message.toString();
  }
}
