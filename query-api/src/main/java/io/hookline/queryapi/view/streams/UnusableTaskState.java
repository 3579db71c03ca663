package io.hookline.queryapi.view.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local state of tasks that Kafka Streams would throw away at start, removed before it starts.
 *
 * <p>Under exactly-once, Kafka Streams trusts a task's local stores only when each of them knows the
 * changelog offset it holds. A window store (the delivery statistics) keeps that offset in a checkpoint
 * file beside it, {@code .checkpoint_<store>} in the task folder, and Kafka Streams 4.3.1 leaves none
 * behind under exactly-once, after a clean stop as after a crash. At start it then declares each task
 * holding data corrupted, wipes its folder and restores it from the changelogs, but only after opening
 * every store of every task twice (once to report the task's lag when it joins, once when the task is
 * assigned). Removing those folders first gives the same result, restored from the changelogs, without
 * opening the stores for nothing: a restart is ready seconds sooner. A folder whose window stores all
 * have their checkpoint is kept, so a Kafka Streams that writes them keeps its state across restarts;
 * {@code MonitoringTest} fails if one writes them under another name.
 */
final class UnusableTaskState {

  private static final Logger LOG = LoggerFactory.getLogger(UnusableTaskState.class);
  /** Kafka Streams' task folders: {@code <sub-topology>_<partition>}. */
  private static final Pattern TASK_FOLDER = Pattern.compile("\\d+_\\d+");
  /** Kafka Streams' name of a window store's checkpoint file in its task folder. */
  static final String CHECKPOINT_PREFIX = ".checkpoint_";
  /** The file Kafka Streams locks while an instance uses the folder. */
  static final String LOCK_FILE = ".lock";

  private UnusableTaskState() {}

  /**
   * Removes the folders, under {@code applicationDir} (the state folder of one application id), of the
   * tasks that hold data but lack the checkpoint of one of {@code windowStores}; returns their names.
   * Nothing is removed while another instance holds the folder's lock (its start then fails, as
   * Kafka Streams refuses a folder in use).
   */
  static List<String> remove(Path applicationDir, List<String> windowStores) {
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(applicationDir)) {
      return removed;
    }
    try (FileChannel channel = FileChannel.open(applicationDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        Stream<Path> tasks = Files.list(applicationDir)) {
      if (lock == null) {
        LOG.warn("The state folder {} is in use by another instance; its task state is left alone", applicationDir);
        return removed;
      }
      for (Path task : tasks.filter(t -> TASK_FOLDER.matcher(t.getFileName().toString()).matches()).sorted().toList()) {
        if (lacksCheckpoint(task, windowStores) && holdsData(task)) {
          deleteRecursively(task);
          removed.add(task.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not clean the state folder " + applicationDir, e);
    }
    if (!removed.isEmpty()) {
      LOG.info("Removed the local state of tasks {}: a window store without its checkpoint makes Kafka Streams"
          + " discard it at start anyway; they restore from their changelogs", removed);
    }
    return removed;
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static boolean lacksCheckpoint(Path task, List<String> windowStores) {
    return windowStores.stream().anyMatch(store ->
        Files.isDirectory(task.resolve(store)) && !Files.exists(task.resolve(CHECKPOINT_PREFIX + store)));
  }

  /** Any file at all, as Kafka Streams counts a task folder as not empty. */
  private static boolean holdsData(Path task) throws IOException {
    try (Stream<Path> files = Files.walk(task)) {
      return files.anyMatch(Files::isRegularFile);
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
