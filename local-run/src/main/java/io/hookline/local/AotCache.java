package io.hookline.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An ahead-of-time cache of one service for a JDK 25+ JVM ({@code -XX:AOTCache}): its classes
 * already loaded and linked (JEP 483) and the profiles of the methods it ran (JEP 515), from an
 * earlier run of the same build, so it starts with less work and its JIT has profiles from the
 * first call. The JDK 25 counterpart of {@link ClassDataArchive}.
 *
 * <p>How it comes to be: a start without a cache records ({@code -XX:AOTMode=record
 * -XX:AOTConfiguration}); the JVM writes what it loaded and profiled when it exits, so the
 * training is the whole run, traffic included, and a running service is never paused for it. Once
 * the next start is ready, {@link #create} makes the cache from that recording in a JVM of its own
 * in the background ({@code -XX:AOTMode=create}); every start after that uses it. So the cache
 * arrives with the third start of a build, the archive with the second.
 *
 * <p>Safe by construction, as the archive is: the cache's name holds a hash of the JDK and of the
 * classpath with each entry's size and modification time; a JVM that cannot use a cache runs
 * without it ({@code -XX:AOTMode=auto}, the default); a recording cut short (a JVM killed while it
 * writes) fails to make a cache and is deleted; creation writes a temporary file, renames it, and
 * runs once at a time per cache (a lock file); a classpath with classes outside jars gets none.
 * Same folder as the archives: {@value ClassDataArchive#CACHE_VARIABLE}, {@code off} turns both off.
 */
final class AotCache implements StartCache {

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
    // Without the warnings of the classes it cannot cache (proxies, JFR events, ...): dozens, once per build.
    return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration, "-Xlog:aot=error");
  }

  Path cache() {
    return cache;
  }

  /** Makes the cache from the recording of an earlier run, if one was written; {@code service} runs on unpaused. */
  @Override
  public CompletableFuture<Boolean> create(ProcessHandle service) {
    if (Files.isRegularFile(cache)) {
      earlierRecordings().forEach(ClassDataArchive::deleteQuietly);
      return CompletableFuture.completedFuture(true);
    }
    List<Path> recordings = earlierRecordings();
    if (recordings.isEmpty()) {
      return CompletableFuture.completedFuture(false); // this run's recording, written at its exit, makes it next time
    }
    Path lock = cache.resolveSibling(cache.getFileName() + ".lock");
    Path partial = cache.resolveSibling(configuration.getFileName() + ".aot.tmp");
    Path log = cache.resolveSibling(name + ".aot.log");
    try {
      if (!ClassDataArchive.takeLock(lock)) {
        return CompletableFuture.completedFuture(false); // another start makes it
      }
    } catch (IOException e) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        for (Path recording : recordings) {
          List<String> command = new ArrayList<>();
          command.add(jdk.java());
          command.addAll(serviceOptions);
          command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + recording,
              "-XX:AOTCache=" + partial, "-cp", classpath));
          Process create = ClassDataArchive.startDump(command, log);
          boolean made = create.waitFor() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0;
          ClassDataArchive.deleteQuietly(recording); // used, or cut short
          if (made) {
            ClassDataArchive.publish(partial, cache, name + "-*.aot");
            return true;
          }
        }
        return false;
      } catch (IOException | RuntimeException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        ClassDataArchive.deleteQuietly(partial);
        ClassDataArchive.deleteQuietly(lock);
      }
    });
  }

  /** Recordings that earlier runs of this build wrote when they exited (not this run's own, still recording). */
  private List<Path> earlierRecordings() {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(cache.getParent(),
        cache.getFileName().toString().replace(".aot", "") + ".*.aotconf")) {
      for (Path file : files) {
        if (!file.equals(configuration) && Files.isRegularFile(file)) {
          found.add(file);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return found;
  }

  /** Nothing to drop: a run's recording is written when its JVM exits, for the next start to use. */
  @Override
  public void abandon() {}
}
