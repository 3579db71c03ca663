package io.hookline.queryapi.eventtypes.kafka;

import io.hookline.queryapi.eventtypes.EventTypeRepository;
import io.hookline.queryapi.eventtypes.domain.EventType;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.KeyChange;
import io.hookline.runtime.SubscriptionMarkers;
import io.hookline.runtime.TopicMirror;
import io.hookline.runtime.UnconfirmedChangeException;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;

/**
 * Event types on the compacted event-types topic, keyed by {@link HooklineTopics#eventTypeKey}; a
 * tombstone deletes. Like the webhooks: reads come from this instance's {@link TopicMirror}, loaded
 * before the first request, and every change goes through {@link FencedUpdates} (decided on the
 * latest version, serialised across instances by transactional fencing per partition, answered once
 * applied here).
 */
public final class KafkaEventTypeRepository implements EventTypeRepository, AutoCloseable {

  private final String topic;
  private final TopicMirror<io.hookline.avro.EventType> mirror;
  private final FencedUpdates<io.hookline.avro.EventType> updates;

  private KafkaEventTypeRepository(String topic, TopicMirror<io.hookline.avro.EventType> mirror,
      FencedUpdates<io.hookline.avro.EventType> updates) {
    this.topic = topic;
    this.mirror = mirror;
    this.updates = updates;
  }

  /**
   * Loads the topic (within {@code loadTimeout}), then writes with changes bounded by {@code writeTimeout},
   * each answered once {@code markers} marked the dispatchers' input after it.
   */
  public static KafkaEventTypeRepository start(HooklineTopics topics, Map<String, Object> clientProps, Admin admin,
      Duration writeTimeout, Duration loadTimeout, SubscriptionMarkers markers) {
    String topic = topics.eventTypes().name();
    TopicMirror<io.hookline.avro.EventType> mirror = new TopicMirror<>(topics.eventTypes(), clientProps, null).start();
    try {
      mirror.awaitReady(loadTimeout);
    } catch (TimeoutException e) {
      mirror.close();
      throw new IllegalStateException("The event types topic " + topic + " did not load within " + loadTimeout, e);
    } catch (InterruptedException e) {
      mirror.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while loading " + topic, e);
    }
    return new KafkaEventTypeRepository(topic, mirror,
        new FencedUpdates<>(topics.eventTypes(), mirror, admin, clientProps, writeTimeout).marking(markers));
  }

  @Override
  public Optional<EventType> find(String portal, String name) {
    return mirror.get(HooklineTopics.eventTypeKey(portal, name)).map(KafkaEventTypeRepository::toDomain);
  }

  @Override
  public List<EventType> findByPortal(String portal) {
    return mirror.values().stream()
        .filter(r -> portal.equals(r.getPortal()))
        .map(KafkaEventTypeRepository::toDomain)
        .sorted(Comparator.comparing(EventType::name))
        .toList();
  }

  @Override
  public Optional<EventType> change(String portal, String name,
      Function<Optional<EventType>, Optional<EventType>> change) {
    String key = HooklineTopics.eventTypeKey(portal, name);
    try {
      return updates.apply(key, current -> {
        Optional<EventType> next = change.apply(current.map(KafkaEventTypeRepository::toDomain));
        return KeyChange.Decision.write(next.map(KafkaEventTypeRepository::toRecord).orElse(null), next);
      });
    } catch (UnconfirmedChangeException e) {
      throw new StoreUnavailableException("The change of event type '" + name + "' on " + topic
          + " was not confirmed (" + e.getMessage() + "); it may have been applied: read it again, then repeat the"
          + " change if it is missing", e);
    }
  }

  static io.hookline.avro.EventType toRecord(EventType t) {
    return io.hookline.avro.EventType.newBuilder()
        .setPortal(t.portal())
        .setName(t.name())
        .setDescription(t.description())
        .setJsonSchema(t.schema())
        .setCreatedAt(t.createdAt().toEpochMilli())
        .setUpdatedAt(t.modifiedAt().toEpochMilli())
        .build();
  }

  static EventType toDomain(io.hookline.avro.EventType r) {
    return new EventType(r.getPortal(), r.getName(), r.getDescription(), r.getJsonSchema(),
        Instant.ofEpochMilli(r.getCreatedAt()), Instant.ofEpochMilli(r.getUpdatedAt()));
  }

  @Override
  public void close() {
    updates.close();
    mirror.close();
  }
}
