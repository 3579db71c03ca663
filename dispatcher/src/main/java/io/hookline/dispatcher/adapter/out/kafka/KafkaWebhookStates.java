package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.avro.Webhook;
import io.hookline.dispatcher.application.WebhookStates;
import io.hookline.schemas.HooklineTopics;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Changes the lifecycle fields ({@code enabled}, {@code disabled_reason}, {@code failing_since}) of
 * webhooks on the webhooks topic, which the query API writes too. Each change is a read-modify-write
 * of the latest stored value: the mirror is first brought up to the topic's end ({@link
 * MirroredSubscriptions#catchUp}), then the stored webhook is copied with only those fields changed
 * and written back, so every other field (URL, events, secrets) is the one stored last.
 *
 * <p>The race: Kafka has no compare-and-set, so a change the API writes between that catch-up and
 * this write (a window of a few milliseconds) is overwritten by this one (its other fields are
 * lost), and a change the API based on the value before this write overwrites this one (the
 * webhook stays enabled: the next 410, or the next failure past disable-after, disables it again).
 * The API's own changes are serialised across its instances (FencedUpdates), but not with the
 * dispatcher's: these writes are plain, not fenced. Each write counts as a revision, so the API's
 * ETag of the webhook changes with it.
 */
public final class KafkaWebhookStates implements WebhookStates {

  private final HooklineTopics topics;
  private final MirroredSubscriptions subscriptions;
  private final KafkaOutcomeLog log;

  public KafkaWebhookStates(HooklineTopics topics, MirroredSubscriptions subscriptions, KafkaOutcomeLog log) {
    this.topics = topics;
    this.subscriptions = subscriptions;
    this.log = log;
  }

  @Override
  public CompletableFuture<Boolean> disable(String webhookId, String reason, long now) {
    return change(webhookId, w -> !w.getEnabled() ? null
        : Webhook.newBuilder(w).setEnabled(false).setDisabledReason(reason).setFailingSince(null)
            .setUpdatedAt(Math.max(now, w.getUpdatedAt())).setRevision(w.getRevision() + 1).build());
  }

  @Override
  public CompletableFuture<Void> failingSince(String webhookId, Long since, long now) {
    return change(webhookId, w -> !w.getEnabled() || java.util.Objects.equals(w.getFailingSince(), since) ? null
        : Webhook.newBuilder(w).setFailingSince(since).setRevision(w.getRevision() + 1).build())
        .thenApply(changed -> null);
  }

  /** Applies {@code change} (null: nothing to change) to the latest stored webhook; true if it wrote. */
  private CompletableFuture<Boolean> change(String webhookId, UnaryOperator<Webhook> change) {
    // Off the thread that completes the catch-up (the mirror's, or the admin client's): the write may
    // wait for metadata, and the read must not hold the mirror back.
    return subscriptions.catchUp().thenComposeAsync(caughtUp -> {
      Optional<Webhook> next = subscriptions.stored(webhookId).map(change);
      if (next.isEmpty()) {
        return CompletableFuture.completedFuture(false);
      }
      return log.send(topics.webhooks(), webhookId, next.get()).thenApply(written -> true);
    });
  }
}
