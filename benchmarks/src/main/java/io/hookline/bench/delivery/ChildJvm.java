package io.hookline.bench.delivery;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One contender's JVM: started with the benchmark's java, the same -Xmx as every other contender,
 * its output in {@code <dir>/<name>.log}. Its peak resident set comes from the kernel
 * ({@code VmHWM}), its peak heap from its {@link HeapSampler}.
 */
public final class ChildJvm implements AutoCloseable {

  /** Peak heap used / committed / used after a collection, and peak RSS, in bytes (-1: unknown). */
  record Memory(long peakHeapUsed, long peakHeapCommitted, long heapMax, long peakHeapAfterGc, long peakRss) {}

  final String name;
  final Path log;
  private final Path heapFile;
  private final Process process;

  private ChildJvm(String name, Path log, Path heapFile, Process process) {
    this.name = name;
    this.log = log;
    this.heapFile = heapFile;
    this.process = process;
  }

  public static ChildJvm start(String name, Path dir, String classpath, String xmx, List<String> jvmOptions, String mainClass,
      List<String> args, Map<String, String> env) throws IOException {
    return start(benchJava(), name, dir, classpath, xmx, jvmOptions, mainClass, args, env);
  }

  /** As above, with another {@code java} executable than the benchmark's own (Hookline on another JDK). */
  public static ChildJvm start(String java, String name, Path dir, String classpath, String xmx, List<String> jvmOptions,
      String mainClass, List<String> args, Map<String, String> env) throws IOException {
    Files.createDirectories(dir);
    Path log = dir.resolve(name + ".log");
    Path heapFile = dir.resolve(name + ".heap");
    Files.deleteIfExists(heapFile);
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + xmx);
    command.addAll(jvmOptions);
    command.add("-Dbench.heapFile=" + heapFile.toAbsolutePath());
    command.add("-Dlogback.configurationFile=bench-logback.xml");
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new ChildJvm(name, log, heapFile, pb.start());
  }

  /** The {@code java} of the benchmark's own JVM: what every contender runs on unless told otherwise. */
  static String benchJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The {@code java} executable that {@code configured} names: a JDK's home (its {@code bin/java})
   * or the executable itself; the benchmark's own when blank. Fails when it names neither.
   */
  static String javaOf(String configured) {
    if (configured == null || configured.isBlank()) {
      return benchJava();
    }
    Path given = Path.of(configured.trim());
    Path inHome = given.resolve("bin").resolve("java");
    if (Files.isDirectory(given) && Files.isExecutable(inHome)) {
      return inHome.toString();
    }
    if (Files.isRegularFile(given) && Files.isExecutable(given)) {
      return given.toString();
    }
    throw new IllegalArgumentException("BENCH_HOOKLINE_JAVA: " + configured + " is neither a JDK's home nor a java executable");
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** CPU time this JVM has used so far, in ns, or -1 when the OS does not tell. */
  long cpuNanos() {
    return cpuNanos(process.toHandle());
  }

  /** CPU time the benchmark's own JVM (broker, receiver, producers) has used so far, in ns, or -1. */
  static long benchCpuNanos() {
    return cpuNanos(ProcessHandle.current());
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
  }

  long pid() {
    return process.pid();
  }

  Memory memory() {
    long used = -1;
    long committed = -1;
    long max = -1;
    long afterGc = -1;
    try {
      if (Files.exists(heapFile)) {
        String[] parts = Files.readString(heapFile, StandardCharsets.US_ASCII).trim().split(" ");
        used = Long.parseLong(parts[0]);
        committed = Long.parseLong(parts[1]);
        max = Long.parseLong(parts[2]);
        afterGc = Long.parseLong(parts[3]);
      }
    } catch (IOException | RuntimeException e) {
      // keep -1: reported as unknown
    }
    long rss = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or already gone
    }
    return new Memory(used, committed, max, afterGc, rss);
  }

  /** The last lines of its output, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}. */
  public void stop(int graceSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop(5);
    }
  }

  /**
   * The dispatcher's jar (or classes), its runtime classpath (the {@code runtime-classpath.txt}
   * every module writes beside it) and the benchmarks' own jar or classes, taken from
   * {@code benchmarksClasspath}.
   */
  public static String dispatcherClasspath(Path benchmarksTarget, String benchmarksClasspath) throws IOException {
    String dispatcher = Files.readString(benchmarksTarget.resolve("dispatcher-classpath.txt"), StandardCharsets.UTF_8).trim();
    Path target = Path.of(dispatcher).getParent(); // target/ of the jar or of target/classes
    String runtime = Files.readString(target.resolve("runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
    List<String> own = new ArrayList<>();
    for (String entry : benchmarksClasspath.split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (name.startsWith("hookline-benchmarks") || entry.endsWith("benchmarks" + File.separator + "target"
          + File.separator + "classes")) {
        own.add(entry);
      }
    }
    return String.join(File.pathSeparator, List.of(dispatcher, runtime)) + File.pathSeparator
        + String.join(File.pathSeparator, own);
  }

  /**
   * A service's jar (or classes) found on {@code classpath} by its file name ({@code
   * hookline-retry-scheduler}), followed by that module's {@code runtime-classpath.txt}: the
   * service's own classpath, as the local run starts it.
   */
  public static String serviceClasspath(String artifact, String classpath) throws IOException {
    for (String entry : classpath.split(File.pathSeparator)) {
      if (new File(entry).getName().startsWith(artifact + "-")) {
        Path target = Path.of(entry).toAbsolutePath().getParent();
        String runtime = Files.readString(target.resolve("runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
        return entry + File.pathSeparator + runtime;
      }
    }
    throw new IllegalStateException(artifact + " is not on the benchmark's classpath");
  }

  static String classpathWithout(String classpath, String... jarNameParts) {
    List<String> kept = new ArrayList<>();
    outer:
    for (String entry : classpath.split(File.pathSeparator)) {
      for (String part : jarNameParts) {
        if (new File(entry).getName().contains(part)) {
          continue outer;
        }
      }
      kept.add(entry);
    }
    return String.join(File.pathSeparator, kept);
  }
}
