package io.hookline.queryapi.webhooks.kafka;

import io.hookline.avro.Webhook;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.KeyChange;
import io.hookline.runtime.TopicMirror;
import io.hookline.runtime.TopicMirror.Undecodable;
import io.hookline.runtime.metrics.UndecodableWebhookMeters;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidRecordHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a record on the webhooks topic that cannot be decoded (written by a newer
 * version, by hand, or damaged): every mirror keeps the webhook's previous version in force and
 * holds the record ({@link TopicMirror#undecodable()}); this instance then, in one transaction of
 * {@link FencedUpdates}, copies the record unchanged to the invalid-records topic (reason headers
 * as for invalid events) and writes the previous version back as the webhook's latest record (one
 * revision later; a tombstone when there was none).
 *
 * <p>Why write the previous version back: on a compacted topic the log cleaner keeps only the latest
 * record of a key, so without it the previous version would be gone after the next compaction and
 * the webhook would vanish at the next restart. The write-back also settles "once": the change runs
 * only while the mirror, caught up to the partition's end, still holds that very record, so when
 * several instances (or a restart re-reading the topic) see the same record, the first commit of the
 * copy and write-back settles it and the others write nothing. The copy and the write-back commit
 * together or not at all. The held records are counted and shown in /health by every instance
 * ({@link UndecodableWebhookMeters}).
 */
@Context
public class UndecodableWebhookRepair {

  private static final Logger LOG = LoggerFactory.getLogger(UndecodableWebhookRepair.class);

  private final TopicMirror<Webhook> mirror;
  private final FencedUpdates<Webhook> updates;
  private final String webhooksTopic;
  private final String invalidTopic;

  public UndecodableWebhookRepair(TopicMirror<Webhook> mirror, FencedUpdates<Webhook> updates, HooklineTopics topics,
      HooklineConfiguration shared, @Nullable MeterRegistry registry) {
    this.mirror = mirror;
    this.updates = updates;
    this.webhooksTopic = topics.webhooks().name();
    this.invalidTopic = topics.eventsInvalid().name();
    if (shared.isMetricsEnabled() && registry != null) {
      UndecodableWebhookMeters.bind(registry, mirror);
    }
    mirror.onUndecodable(this::repair);
    // Records held while the mirror loaded, before this listener was set.
    mirror.undecodable().values().forEach(this::repair);
  }

  private void repair(Undecodable held) {
    updates.submit(held.key(), current -> decide(held, current.orElse(null)))
        .whenComplete((repaired, failure) -> {
          if (failure != null) {
            LOG.warn("Could not copy the undecodable record {} to {} yet; it stays held ({})",
                held.describe(webhooksTopic), invalidTopic, failure.toString());
          } else if (Boolean.TRUE.equals(repaired)) {
            LOG.warn("Copied the undecodable record {} to {} and wrote webhook {}'s previous version back",
                held.describe(webhooksTopic), invalidTopic, held.key());
          }
        });
  }

  /** Copy and write back, if the mirror (caught up) still holds this record as the key's latest. */
  private KeyChange.Decision<Webhook, Boolean> decide(Undecodable held, Webhook previous) {
    Undecodable still = mirror.undecodable().get(held.key());
    if (still == null || still.partition() != held.partition() || still.offset() != held.offset()) {
      return KeyChange.Decision.none(false);
    }
    Webhook back = previous == null ? null : Webhook.newBuilder(previous).setRevision(previous.getRevision() + 1).build();
    RecordHeaders headers = new RecordHeaders(still.headers());
    InvalidRecordHeaders.of(still.reason(), still.message(), webhooksTopic, still.partition(), still.offset())
        .forEach(headers::add);
    return KeyChange.Decision.<Webhook, Boolean>write(back, true)
        .alongside(new ProducerRecord<>(invalidTopic, null, still.keyBytes(), still.valueBytes(), headers));
  }
}
