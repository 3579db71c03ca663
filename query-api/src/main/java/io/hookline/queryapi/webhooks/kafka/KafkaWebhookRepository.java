package io.hookline.queryapi.webhooks.kafka;

import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.WebhookChange;
import io.hookline.queryapi.webhooks.WebhookRepository;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.KeyChange;
import io.hookline.runtime.SecretCipher;
import io.hookline.runtime.TopicMirror;
import io.hookline.runtime.UnconfirmedChangeException;
import io.hookline.schemas.HooklineTopics;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Webhooks on the compacted webhooks topic, keyed by webhook id; a tombstone deletes. Reads come
 * from this instance's {@link TopicMirror} of the topic. Every change goes through
 * {@link FencedUpdates}: decided on the latest stored version, serialised with every change of the
 * same webhook made by any instance (transactional fencing per partition, see there), and answered
 * once the mirror has applied it, which gives read-your-writes on this instance and, since every
 * instance mirrors the same topic, eventual consistency across instances. Signing secrets are
 * encrypted at rest on the topic (see {@link WebhookRecords}).
 */
@Singleton
public class KafkaWebhookRepository implements WebhookRepository {

  private static final Comparator<Webhook> OLDEST_FIRST =
      Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id);

  private final String topic;
  private final TopicMirror<io.hookline.avro.Webhook> mirror;
  private final FencedUpdates<io.hookline.avro.Webhook> updates;
  private final WebhookRecords records;

  public KafkaWebhookRepository(
      HooklineTopics topics,
      TopicMirror<io.hookline.avro.Webhook> mirror,
      FencedUpdates<io.hookline.avro.Webhook> updates,
      SecretCipher cipher) {
    this.records = new WebhookRecords(cipher);
    this.topic = topics.webhooks().name();
    this.mirror = mirror;
    this.updates = updates;
  }

  @Override
  public Optional<Webhook> find(String id) {
    return mirror.get(id).map(records::toDomain);
  }

  @Override
  public List<Webhook> findByPortal(String portal) {
    return mirror.values().stream()
        .filter(r -> portal.equals(r.getPortal()))
        .map(records::toDomain)
        .sorted(OLDEST_FIRST)
        .toList();
  }

  @Override
  public <T> T change(String id, WebhookChange<T> change) {
    try {
      return updates.apply(id, current -> {
        WebhookChange.Outcome<T> outcome = change.decide(current.map(records::toDomain));
        if (!outcome.write()) {
          return KeyChange.Decision.none(outcome.answer());
        }
        return KeyChange.Decision.write(
            outcome.next() == null ? null : records.toRecord(outcome.next()), outcome.answer());
      });
    } catch (UnconfirmedChangeException e) {
      throw new StoreUnavailableException("The change of webhook " + id + " on " + topic + " was not confirmed ("
          + e.getMessage() + "); it may have been applied: read it again, then repeat the change if it is missing", e);
    }
  }

  @Override
  public Map<String, String> unreadable() {
    Map<String, String> out = new TreeMap<>();
    mirror.undecodable().forEach((id, record) -> out.put(id, record.describe(topic)
        + "; its previous version stays in force"));
    return out;
  }

  @Override
  public boolean isReady() {
    return mirror.isReady();
  }
}
