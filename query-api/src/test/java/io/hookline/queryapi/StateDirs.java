package io.hookline.queryapi;

import io.hookline.testing.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kafka Streams state folders for tests, under the temp dir. A fixture deletes its folder when it
 * closes ({@link #delete}); whatever a test left behind is deleted when the test JVM exits, so no
 * {@code hookline-query-state*} folder outlives the test run.
 */
public final class StateDirs {

  private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(StateDirs::delete), "delete-state-dirs"));
  }

  private StateDirs() {}

  /** A new empty folder for Kafka Streams state. */
  public static Path fresh() {
    try {
      Path dir = Files.createTempDirectory("hookline-query-state");
      CREATED.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and everything in it; a folder already gone is fine. */
  public static void delete(Path dir) {
    Folders.deleteRecursively(dir);
  }
}
