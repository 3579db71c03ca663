package io.hookline.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A Hookline service (or any main class) running as its own JVM, the way users run it: real
 * process, real signals. Used by {@link LocalRun} and by end-to-end tests that stop or SIGKILL a
 * service mid-flight.
 *
 * <p>The child runs with the service's own classpath (see {@link ServiceClasspath}), the caller's
 * environment plus {@code env}, and all its output appended to {@code logFile}. It exits by itself
 * when the process that started it exits, even on SIGKILL (see {@link ExitWithParent}), so a
 * crashed test or launcher leaves no orphan behind.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How long {@link #stop()} waits after SIGTERM before SIGKILL. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  private final ChildProcess child;
  private final Optional<StartCache> archive;
  private final ProcessHandle handle;
  private volatile boolean archiving;

  private ServiceProcess(ChildProcess child, Optional<StartCache> archive, ProcessHandle handle) {
    this.child = child;
    this.archive = archive;
    this.handle = handle;
    // A start that never got as far as its archive leaves no class list behind.
    archive.ifPresent(a -> child.onExit().thenRun(() -> {
      if (!archiving) {
        a.abandon();
      }
    }));
  }

  /** Starts {@code mainClass} with {@code env} on top of the caller's environment. */
  public static ServiceProcess start(String mainClass, Map<String, String> env, Path logFile) {
    return start(mainClass, List.of(), env, logFile);
  }

  /** Starts {@code mainClass} with program arguments. */
  public static ServiceProcess start(
      String mainClass, List<String> args, Map<String, String> env, Path logFile) {
    return start(mainClass, args, env, logFile, ServiceClasspath.of(mainClass));
  }

  /** With an explicit classpath (tests that run the launcher itself with their own classes). */
  static ServiceProcess start(
      String mainClass, List<String> args, Map<String, String> env, Path logFile, String classpath) {
    // JDK 25+: an AOT cache; older: a class-data archive (see ServiceJdk).
    ServiceJdk jdk = ServiceJdk.of(env);
    Optional<StartCache> archive = jdk.aot()
        ? AotCache.of(mainClass, classpath, env, jdk, ChildJvm.jvmOptions(env)).map(StartCache.class::cast)
        : ClassDataArchive.of(mainClass, classpath, env).map(StartCache.class::cast);
    List<String> archiveOptions = List.of();
    if (archive.isPresent()) {
      try {
        archiveOptions = archive.get().jvmOptions();
      } catch (IOException e) {
        archive = Optional.empty(); // the cache folder cannot be made: start without
      }
    }
    Process process = ChildJvm.start(mainClass, args, classpath, env, logFile, archiveOptions);
    return new ServiceProcess(new ChildProcess(simpleName(mainClass), process, logFile), archive, process.toHandle());
  }

  /**
   * Call once the service is ready: if this start recorded its classes (no class-data archive or
   * AOT cache yet, see {@link ClassDataArchive}, {@link AotCache} and {@code HOOKLINE_LOCAL_CLASS_CACHE}),
   * makes the archive or cache the next starts use, in a JVM of its own in the background. Completes
   * with true when one exists for the next start; false when they are off or it could not be made.
   */
  public CompletableFuture<Boolean> archiveClasses() {
    if (archive.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    archiving = true;
    return archive.get().create(handle);
  }

  /** Short name for messages: {@code DispatcherApplication} for its main class. */
  public String name() {
    return child.name();
  }

  public long pid() {
    return child.pid();
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  /** Completes when the process has exited, for whatever reason. */
  public CompletableFuture<ServiceProcess> onExit() {
    return child.onExit().thenApply(process -> this);
  }

  /** The exit code, once it has exited. */
  public OptionalInt exitCode() {
    return child.exitCode();
  }

  public Path logFile() {
    return child.logFile();
  }

  /** The last lines of its log, for failure messages. */
  public List<String> logTail(int lines) {
    return child.logTail(lines);
  }

  /** SIGTERM, then SIGKILL after {@link #DEFAULT_STOP_GRACE}. True if it stopped on SIGTERM. */
  public boolean stop() {
    return stop(DEFAULT_STOP_GRACE);
  }

  /** SIGTERM, then SIGKILL after {@code grace}. True if it stopped on SIGTERM. */
  public boolean stop(Duration grace) {
    return child.stop(grace);
  }

  /** SIGKILL now (a crash, as far as the service can tell); returns once it is gone. */
  public void kill() {
    child.kill();
  }

  /** Sends SIGTERM without waiting; pair with {@link #awaitExit(Duration)}. */
  void signalStop() {
    child.signalStop();
  }

  /** Waits up to {@code timeout} for the process to exit; true if it did. */
  public boolean awaitExit(Duration timeout) {
    return child.waitFor(timeout);
  }

  String describeUnexpectedExit() {
    return child.describeUnexpectedExit();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name() + " (pid " + pid() + ")";
  }

  private static String simpleName(String mainClass) {
    return mainClass.substring(mainClass.lastIndexOf('.') + 1);
  }
}
