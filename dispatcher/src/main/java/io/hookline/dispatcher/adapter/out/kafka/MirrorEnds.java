package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.runtime.TopicMirror;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * When a {@link TopicMirror} holds every record written to its topic before a given moment: one
 * asynchronous {@code ListOffsets} round trip for the ends of the topic's partitions, then the
 * mirror's own wait for those offsets.
 */
final class MirrorEnds {

  private static final int LOOKUP_TIMEOUT_MS = 5_000;

  private MirrorEnds() {}

  /** Completes once {@code mirror} has applied everything committed to {@code topic} before this call. */
  static CompletableFuture<Void> caughtUp(Admin admin, String topic, TopicMirror<?> mirror) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p : mirror.partitions()) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    // The last stable offsets: every write acknowledged before this call is committed below them,
    // and an open transaction of the API's writer (FencedUpdates) is not waited for.
    return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(LOOKUP_TIMEOUT_MS))
        .all()
        .toCompletionStage()
        .thenCompose(ends -> {
          Map<Integer, Long> offsets = new HashMap<>();
          ends.forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
          return mirror.whenApplied(offsets);
        })
        .toCompletableFuture();
  }
}
