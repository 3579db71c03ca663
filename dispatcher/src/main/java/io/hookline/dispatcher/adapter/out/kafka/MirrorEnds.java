package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.runtime.TopicMirror;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * When {@link TopicMirror}s hold every record written to their topics before a given moment: one
 * asynchronous {@code ListOffsets} round trip for the ends of every partition of every topic (the
 * admin client sends one request per partition leader, so one request on a single broker, however
 * many topics), then each mirror's own wait for its offsets.
 */
final class MirrorEnds {

  private static final int LOOKUP_TIMEOUT_MS = 5_000;

  /** A mirror and the topic it follows. */
  record Followed(String topic, TopicMirror<?> mirror) {}

  private MirrorEnds() {}

  /** Completes once {@code mirror} has applied everything committed to {@code topic} before this call. */
  static CompletableFuture<Void> caughtUp(Admin admin, String topic, TopicMirror<?> mirror) {
    return caughtUp(admin, List.of(new Followed(topic, mirror)));
  }

  /**
   * Completes once every mirror in {@code followed} has applied everything committed to its topic
   * before this call; the end offsets of all of them come from the same {@code ListOffsets} look-up.
   */
  static CompletableFuture<Void> caughtUp(Admin admin, List<Followed> followed) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (Followed f : followed) {
      for (int p : f.mirror().partitions()) {
        latest.put(new TopicPartition(f.topic(), p), OffsetSpec.latest());
      }
    }
    // The last stable offsets: every write acknowledged before this call is committed below them,
    // and an open transaction of the API's writer (FencedUpdates) is not waited for.
    return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(LOOKUP_TIMEOUT_MS))
        .all()
        .toCompletionStage()
        .thenCompose(ends -> {
          List<CompletableFuture<Void>> applied = new ArrayList<>(followed.size());
          for (Followed f : followed) {
            applied.add(f.mirror().whenApplied(offsetsOf(f.topic(), ends)));
          }
          return applied.size() == 1 ? applied.get(0) : CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new));
        })
        .toCompletableFuture();
  }

  private static Map<Integer, Long> offsetsOf(String topic, Map<TopicPartition, ListOffsetsResultInfo> ends) {
    Map<Integer, Long> offsets = new HashMap<>();
    ends.forEach((tp, info) -> {
      if (tp.topic().equals(topic)) {
        offsets.put(tp.partition(), info.offset());
      }
    });
    return offsets;
  }
}
