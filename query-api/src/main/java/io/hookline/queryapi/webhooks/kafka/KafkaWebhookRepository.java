package io.hookline.queryapi.webhooks.kafka;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.WebhookRepository;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.runtime.SecretCipher;
import io.hookline.runtime.TopicMirror;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Webhooks on the compacted webhooks topic, keyed by webhook id; a tombstone deletes. Reads come
 * from this instance's {@link TopicMirror} of the topic; a write is produced, then awaited until the
 * mirror has applied its offset, which gives read-your-writes on this instance and, since every
 * instance mirrors the same topic, eventual consistency across instances. Signing secrets are
 * encrypted at rest on the topic (see {@link WebhookRecords}).
 */
@Singleton
public class KafkaWebhookRepository implements WebhookRepository {

  private static final Comparator<Webhook> OLDEST_FIRST =
      Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id);

  private final Topic<String, io.hookline.avro.Webhook> topic;
  private final TopicMirror<io.hookline.avro.Webhook> mirror;
  private final TopicWriter writer;
  private final Duration writeTimeout;
  private final WebhookRecords records;

  public KafkaWebhookRepository(
      HooklineTopics topics,
      TopicMirror<io.hookline.avro.Webhook> mirror,
      TopicWriter writer,
      SecretCipher cipher,
      QueryApiConfiguration config) {
    this.records = new WebhookRecords(cipher);
    this.topic = topics.webhooks();
    this.mirror = mirror;
    this.writer = writer;
    this.writeTimeout = config.getWriteTimeout();
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
  public void save(Webhook webhook) {
    write(webhook.id(), records.toRecord(webhook));
  }

  @Override
  public void delete(String id) {
    write(id, null);
  }

  @Override
  public boolean isReady() {
    return mirror.isReady();
  }

  private void write(String id, io.hookline.avro.Webhook value) {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    RecordMetadata written = writer.write(topic, id, value, writeTimeout);
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    try {
      mirror.awaitApplied(written.partition(), written.offset(), left);
    } catch (TimeoutException e) {
      throw new StoreUnavailableException("Webhook " + id + " was written to " + topic.name()
          + " but is not visible yet; read it again later", e);
    } catch (IllegalStateException e) {
      throw new StoreUnavailableException("The copy of " + topic.name() + " has stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting for webhook " + id, e);
    }
  }
}
