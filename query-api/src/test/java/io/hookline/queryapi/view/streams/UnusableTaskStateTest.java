package io.hookline.queryapi.view.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.Folders;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only the task folders Kafka Streams would wipe at start are removed: holding data, with a window
 * store that lacks its checkpoint. The layout is Kafka Streams' own (KV stores under {@code rocksdb/},
 * window stores in a folder of their name, {@code .checkpoint_<store>} beside them); {@code
 * MonitoringTest} checks the checkpoint name against a real instance stopped cleanly.
 */
class UnusableTaskStateTest {

  private static final List<String> WINDOW_STORES = List.of("stats-minutes", "stats-hours");

  private Path app;

  @BeforeEach
  void createFolder() throws IOException {
    app = Files.createTempDirectory("hookline-unusable-state");
  }

  @AfterEach
  void deleteFolder() {
    Folders.deleteRecursively(app);
  }

  @Test
  void removesTasksWithDataAndAWindowStoreWithoutCheckpointKeepsTheOthers() throws IOException {
    task("0_0", true, true);     // both checkpoints: kept
    task("0_1", true, false);    // one missing: removed
    task("0_2", false, false);   // none (never written, or an unclean stop): removed
    Files.createDirectories(app.resolve("0_3").resolve("rocksdb"));  // no file at all: nothing to gain, kept
    Files.createDirectories(app.resolve("0_3").resolve("stats-minutes"));
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "{}");

    assertThat(UnusableTaskState.remove(app, WINDOW_STORES)).containsExactly("0_1", "0_2");

    assertThat(app.resolve("0_0").resolve("rocksdb").resolve("attempts").resolve("000010.sst")).exists();
    assertThat(app.resolve("0_1")).doesNotExist();
    assertThat(app.resolve("0_2")).doesNotExist();
    assertThat(app.resolve("0_3")).exists();
    assertThat(app.resolve("kafka-streams-process-metadata")).exists();
  }

  @Test
  void aFolderLockedByAnotherInstanceIsLeftAlone() throws IOException {
    task("0_0", false, false);
    try (FileChannel channel = FileChannel.open(app.resolve(UnusableTaskState.LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      assertThat(UnusableTaskState.remove(app, WINDOW_STORES)).isEmpty();
    }
    assertThat(app.resolve("0_0")).exists();
  }

  @Test
  void aMissingStateFolderIsNothingToRemove() {
    assertThat(UnusableTaskState.remove(app.resolve("never-started"), WINDOW_STORES)).isEmpty();
  }

  private void task(String name, boolean minutesCheckpoint, boolean hoursCheckpoint) throws IOException {
    Path task = app.resolve(name);
    Path kv = Files.createDirectories(task.resolve("rocksdb").resolve("attempts"));
    Files.writeString(kv.resolve("000010.sst"), "data");
    for (String store : WINDOW_STORES) {
      Files.createDirectories(task.resolve(store));
    }
    if (minutesCheckpoint) {
      Files.writeString(task.resolve(UnusableTaskState.CHECKPOINT_PREFIX + "stats-minutes"), "0\n1\nt 0 5\n");
    }
    if (hoursCheckpoint) {
      Files.writeString(task.resolve(UnusableTaskState.CHECKPOINT_PREFIX + "stats-hours"), "0\n1\nt 0 5\n");
    }
  }
}
