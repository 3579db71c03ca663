package io.hookline.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A class-data sharing archive (AppCDS) of one service's classes, so that its JVM maps thousands of
 * already parsed and verified classes (Micronaut, Kafka, Kafka Streams, RocksDB, Netty) instead of
 * loading them from jars on every start.
 *
 * <p>How it comes to be: the first start of a service records the classes it loads
 * ({@code -XX:DumpLoadedClassList}); once the service is ready, {@link #create()} dumps the
 * archive from that list in a separate JVM ({@code -Xshare:dump}), in the background, so neither
 * the start nor the stop of the service waits for it. Every later start maps it
 * ({@code -XX:SharedArchiveFile}).
 *
 * <p>Safe by construction: the archive's name holds a hash of the JVM (its home and version) and
 * of the classpath with each entry's size and modification time, so a rebuilt jar or another JDK
 * gets a new archive instead of a mismatched one (archives of older builds of the same service are
 * deleted when a new one is written). Should the JVM still refuse an archive, it runs without one
 * ({@code -Xshare:auto}, the default): slower, never failing. A dump writes a temporary file and
 * renames it, and one dump at a time runs for a given archive (a lock file), so instances started
 * in parallel (tests) never read a half-written archive. A classpath with a non-empty folder on
 * it (classes not in jars) gets no archive: the JVM can only archive classes from jars.
 *
 * <p>Where: {@value #CACHE_VARIABLE} names the folder, {@code off} turns archives off; the local
 * run uses {@code <data dir>/class-cache}.
 */
final class ClassDataArchive implements StartCache {

  static final String CACHE_VARIABLE = "HOOKLINE_LOCAL_CLASS_CACHE";

  /** The archives' folder of a local run: {@value #CACHE_VARIABLE} when given, else {@code class-cache} in its data folder. */
  static String folderFor(Map<String, String> callerEnv, Path dataDir) {
    return callerEnv.getOrDefault(CACHE_VARIABLE, dataDir.resolve("class-cache").toAbsolutePath().toString());
  }
  static final String OFF = "off";
  /** A dump whose lock is older than this is taken to have died; another may start. */
  private static final Duration STALE_LOCK = Duration.ofMinutes(10);
  private static final Set<Process> DUMPS = ConcurrentHashMap.newKeySet();

  static {
    // A dump still running when this JVM exits would only be wasted: the next start dumps again.
    // Gone before this JVM is, so that whoever deletes the cache folder next finds nobody writing.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      DUMPS.forEach(Process::destroyForcibly);
      for (Process dump : DUMPS) {
        try {
          dump.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }, "hookline-class-archive-stop"));
  }

  private final String name;
  private final Path archive;
  private final Path classList;
  private final String classpath;
  private final String javaExecutable;

  private ClassDataArchive(Path dir, String name, String key, String classpath, String javaExecutable) {
    this.name = name;
    this.javaExecutable = javaExecutable;
    this.archive = dir.resolve(name + "-" + key + ".jsa");
    this.classList = dir.resolve(name + "-" + key + "." + ProcessHandle.current().pid() + "-" + System.nanoTime()
        + ".classlist");
    this.classpath = classpath;
  }

  /**
   * The archive of {@code mainClass} on {@code classpath} in the folder that {@value
   * #CACHE_VARIABLE} names (in {@code env}, else this process's environment); empty when none is
   * named, it is {@code off}, or the classpath cannot be archived.
   */
  static Optional<ClassDataArchive> of(String mainClass, String classpath, Map<String, String> env) {
    Optional<Path> dir = folder(env);
    Optional<List<Path>> entries = archivable(classpath);
    if (dir.isEmpty() || entries.isEmpty()) {
      return Optional.empty();
    }
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    String java = ChildJvm.javaExecutable(env);
    try {
      return Optional.of(new ClassDataArchive(dir.get(), name, key(java, entries.get()), classpath, java));
    } catch (IOException e) {
      return Optional.empty(); // an entry vanished: this start goes without
    }
  }

  /** The cache folder {@value #CACHE_VARIABLE} names (in {@code env}, else this process's environment), unless off. */
  static Optional<Path> folder(Map<String, String> env) {
    String configured = env.getOrDefault(CACHE_VARIABLE, System.getenv(CACHE_VARIABLE));
    if (configured == null || configured.isBlank() || OFF.equalsIgnoreCase(configured.trim())) {
      return Optional.empty();
    }
    return Optional.of(Path.of(configured.trim()).toAbsolutePath());
  }

  /** The entries of {@code classpath}; empty when one is a non-empty folder (the JVM archives classes from jars only). */
  static Optional<List<Path>> archivable(String classpath) {
    List<Path> entries = new ArrayList<>();
    for (String part : classpath.split(File.pathSeparator)) {
      if (part.isBlank()) {
        continue;
      }
      Path entry = Path.of(part);
      if (Files.isDirectory(entry) && !isEmptyDirectory(entry)) {
        return Optional.empty();
      }
      entries.add(entry);
    }
    return Optional.of(entries);
  }

  /** The JVM options of a start: map the archive if there is one, else record the classes loaded. */
  @Override
  public List<String> jvmOptions() throws IOException {
    if (Files.isRegularFile(archive)) {
      return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }
    Files.createDirectories(archive.getParent());
    return List.of("-XX:DumpLoadedClassList=" + classList);
  }

  Path archive() {
    return archive;
  }

  /**
   * Dumps the archive from the classes the started service has loaded so far, in a JVM of its own;
   * call once the service is ready. Completes with true when the archive exists afterwards (also
   * when it already did, or another process wrote it meanwhile), false when it could not be made
   * (then the next start records and tries again). Never throws.
   */
  CompletableFuture<Boolean> create() {
    return create(ProcessHandle.current());
  }

  /** As {@link #create()}: the archive comes from the class list, whatever process wrote it. */
  @Override
  public CompletableFuture<Boolean> create(ProcessHandle service) {
    if (Files.isRegularFile(archive)) {
      deleteQuietly(classList);
      return CompletableFuture.completedFuture(true);
    }
    Path lock = archive.resolveSibling(archive.getFileName() + ".lock");
    Path snapshot = archive.resolveSibling(classList.getFileName() + ".done");
    Path partial = archive.resolveSibling(classList.getFileName() + ".jsa.tmp");
    Path log = archive.resolveSibling(name + ".dump.log");
    try {
      if (!takeLock(lock)) {
        deleteQuietly(classList);
        return CompletableFuture.completedFuture(false);
      }
      // The service keeps appending to its list; the dump reads a copy of the complete lines.
      String loaded = Files.readString(classList, StandardCharsets.UTF_8);
      Files.writeString(snapshot, loaded.substring(0, loaded.lastIndexOf('\n') + 1), StandardCharsets.UTF_8);
      List<String> command = List.of(javaExecutable, "-Xshare:dump", "-XX:SharedClassListFile=" + snapshot,
          "-XX:SharedArchiveFile=" + partial, "-cp", classpath);
      Process dump = startDump(command, log);
      return dump.onExit().handle((process, failure) -> {
        try {
          if (failure == null && process.exitValue() == 0 && Files.size(partial) > 0) {
            publish(partial, archive, name + "-*.jsa");
            return true;
          }
          return false;
        } catch (IOException e) {
          return false;
        } finally {
          deleteQuietly(partial);
          deleteQuietly(snapshot);
          deleteQuietly(classList);
          deleteQuietly(lock);
        }
      });
    } catch (IOException | RuntimeException e) {
      deleteQuietly(snapshot);
      deleteQuietly(classList);
      deleteQuietly(lock);
      return CompletableFuture.completedFuture(false);
    }
  }

  /** A dump (or cache creation) in a JVM of its own, its output in {@code log}; stopped if this JVM exits first. */
  static Process startDump(List<String> command, Path log) throws IOException {
    Process dump = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    DUMPS.add(dump);
    dump.onExit().thenRun(() -> DUMPS.remove(dump));
    return dump;
  }

  /** When no dump follows (the service stopped before it was ready): drops the recorded list. */
  @Override
  public void abandon() {
    deleteQuietly(classList);
  }

  /** Renames {@code partial} to {@code archive} and deletes the other files matching {@code older}. */
  static void publish(Path partial, Path archive, String older) throws IOException {
    try {
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
    }
    // Archives of earlier builds of this service are never mapped again.
    try (DirectoryStream<Path> others = Files.newDirectoryStream(archive.getParent(), older)) {
      for (Path other : others) {
        if (!other.equals(archive)) {
          deleteQuietly(other);
        }
      }
    }
  }

  static boolean takeLock(Path lock) throws IOException {
    try {
      Files.createFile(lock);
      return true;
    } catch (FileAlreadyExistsException e) {
      FileTime taken = Files.getLastModifiedTime(lock);
      if (taken.toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
        deleteQuietly(lock);
        return takeLock(lock);
      }
      return false;
    }
  }

  /** A hash of the JVM and of each classpath entry with its size and modification time. */
  static String key(List<Path> entries) throws IOException {
    return key(ChildJvm.javaExecutable(Map.of()), entries);
  }

  /**
   * A hash of the {@code java} executable (its path, size and modification time: another build of
   * the JDK in the same place changes it) and of each classpath entry with its size and modification time.
   */
  static String key(String java, List<Path> entries) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      Path jvm = Path.of(java).toAbsolutePath().normalize();
      Path libjvm = jvm.getParent().resolveSibling("lib").resolve("server").resolve("libjvm.so");
      digest.update((jvm + "|" + (Files.isRegularFile(libjvm) ? Files.size(libjvm) + "|"
          + Files.getLastModifiedTime(libjvm).toMillis() : "")).getBytes(StandardCharsets.UTF_8));
      for (Path entry : entries) {
        Path absolute = entry.toAbsolutePath().normalize();
        long size = Files.isRegularFile(absolute) ? Files.size(absolute) : -1;
        long modified = Files.exists(absolute) ? Files.getLastModifiedTime(absolute).toMillis() : -1;
        digest.update(("|" + absolute + "|" + size + "|" + modified).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file costs disk only; the next dump writes its own.
    }
  }
}
