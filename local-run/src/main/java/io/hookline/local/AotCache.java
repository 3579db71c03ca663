package io.hookline.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ahead-of-time cache of one service for a JDK 25+ JVM ({@code -XX:AOTCache}): its classes
 * already loaded and linked (JEP 483) and the profiles of the methods it ran (JEP 515), from an
 * earlier start of the same build, so it starts with less work and its JIT compiles the hot
 * methods sooner. The JDK 25 counterpart of {@link ClassDataArchive}, made the same way.
 *
 * <p>How it comes to be: the first start records ({@code -XX:AOTMode=record
 * -XX:AOTConfiguration}); once the service is ready, {@link #create} ends the recording ({@code
 * jcmd <pid> AOT.end_recording}: a pause of the service while it writes what it has loaded and
 * profiled so far, once per build), then makes the cache from it in a JVM of its own in the
 * background ({@code -XX:AOTMode=create}), so neither the start nor the stop of the service waits
 * for it. Every later start uses it. What the training saw is the start-up: the cache holds the
 * classes and profiles of a start, not of a day's traffic.
 *
 * <p>Safe by construction, as the archive is: the cache's name holds a hash of the JDK and of the
 * classpath with each entry's size and modification time; a JVM that cannot use a cache runs
 * without it ({@code -XX:AOTMode=auto}, the default); creation writes a temporary file, renames it,
 * and runs once at a time per cache (a lock file); a classpath with classes outside jars gets none.
 * Same folder as the archives: {@value ClassDataArchive#CACHE_VARIABLE}, {@code off} turns both off.
 */
final class AotCache implements StartCache {

  /** How long ending the recording may take before this start gives up on its cache. */
  private static final long END_RECORDING_SECONDS = 120;

  private final ServiceJdk jdk;
  private final String name;
  private final Path cache;
  private final Path configuration;
  private final String classpath;
  private final List<String> serviceOptions;

  private AotCache(ServiceJdk jdk, Path dir, String name, String key, String classpath, List<String> serviceOptions) {
    this.jdk = jdk;
    this.name = name;
    this.cache = dir.resolve(name + "-" + key + ".aot");
    this.configuration = dir.resolve(name + "-" + key + "." + ProcessHandle.current().pid() + "-" + System.nanoTime()
        + ".aotconf");
    this.classpath = classpath;
    this.serviceOptions = List.copyOf(serviceOptions);
  }

  /**
   * The cache of {@code mainClass} on {@code classpath} for {@code jdk}, in the folder that {@value
   * ClassDataArchive#CACHE_VARIABLE} names; empty when none is named, it is {@code off}, the JDK is
   * older than {@value ServiceJdk#AOT_FEATURE} or the classpath cannot be cached.
   *
   * @param serviceOptions the service's own JVM options, which the cache is created with too
   */
  static Optional<AotCache> of(String mainClass, String classpath, Map<String, String> env, ServiceJdk jdk,
      List<String> serviceOptions) {
    Optional<Path> dir = ClassDataArchive.folder(env);
    Optional<List<Path>> entries = ClassDataArchive.archivable(classpath);
    if (!jdk.aot() || dir.isEmpty() || entries.isEmpty()) {
      return Optional.empty();
    }
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    try {
      return Optional.of(new AotCache(jdk, dir.get(), name, ClassDataArchive.key(jdk.java(), entries.get()), classpath,
          serviceOptions));
    } catch (IOException e) {
      return Optional.empty(); // an entry vanished: this start goes without
    }
  }

  /** Use the cache if there is one, else record. */
  @Override
  public List<String> jvmOptions() throws IOException {
    if (Files.isRegularFile(cache)) {
      return List.of("-XX:AOTCache=" + cache);
    }
    Files.createDirectories(cache.getParent());
    return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration);
  }

  Path cache() {
    return cache;
  }

  @Override
  public CompletableFuture<Boolean> create(ProcessHandle service) {
    if (Files.isRegularFile(cache)) {
      abandon();
      return CompletableFuture.completedFuture(true);
    }
    Path lock = cache.resolveSibling(cache.getFileName() + ".lock");
    Path partial = cache.resolveSibling(configuration.getFileName() + ".aot.tmp");
    Path log = cache.resolveSibling(name + ".aot.log");
    try {
      if (!ClassDataArchive.takeLock(lock)) {
        // Another start makes it. This one records on and writes its configuration when it exits: dropped then.
        service.onExit().thenRun(this::abandon);
        return CompletableFuture.completedFuture(false);
      }
    } catch (IOException e) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        if (!endRecording(service, log) || !Files.isRegularFile(configuration)) {
          return false;
        }
        List<String> command = new ArrayList<>();
        command.add(jdk.java());
        command.addAll(serviceOptions);
        command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
            "-XX:AOTCache=" + partial, "-cp", classpath));
        Process create = ClassDataArchive.startDump(command, log.resolveSibling(name + ".aot-create.log"));
        if (create.waitFor() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
          ClassDataArchive.publish(partial, cache, name + "-*.aot");
          return true;
        }
        return false;
      } catch (IOException | RuntimeException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        ClassDataArchive.deleteQuietly(partial);
        abandon();
        ClassDataArchive.deleteQuietly(lock);
      }
    });
  }

  /** {@code jcmd <pid> AOT.end_recording}: the service writes its AOT configuration and runs on. */
  private boolean endRecording(ProcessHandle service, Path log) throws IOException, InterruptedException {
    Path jcmd = Path.of(jdk.java()).resolveSibling("jcmd");
    if (!Files.isExecutable(jcmd) || !service.isAlive()) {
      return false;
    }
    Process end = ClassDataArchive.startDump(
        List.of(jcmd.toString(), Long.toString(service.pid()), "AOT.end_recording"), log);
    if (!end.waitFor(END_RECORDING_SECONDS, TimeUnit.SECONDS)) {
      end.destroyForcibly();
      return false;
    }
    return end.exitValue() == 0;
  }

  /** Drops the recorded configuration (made into a cache, or never to be). */
  @Override
  public void abandon() {
    ClassDataArchive.deleteQuietly(configuration);
  }
}
