package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.avro.EventType;
import io.hookline.dispatcher.application.EventValidation;
import io.hookline.dispatcher.application.SubscriptionSync;
import io.hookline.dispatcher.domain.Event;
import io.hookline.runtime.EventSchema;
import io.hookline.runtime.TopicMirror;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event types topic, followed live ({@link TopicMirror}), with the schema of every type that has
 * one compiled once, when the type is written, not per event. The input gate holds events until every
 * type written before they were polled is in effect here, so a schema the API confirmed applies to
 * them, as it does for webhooks: {@link MirroredSubscriptions#catchUpWith} looks up the ends of both
 * topics in one round trip.
 *
 * <p>A stored schema that does not compile (the API refuses such schemas, so only another writer
 * could store one) is logged and leaves the type unvalidated: refusing every event of the type for
 * it would lose nothing, but would stop deliveries for a record nobody can see in the API.
 */
public final class MirroredEventTypes implements EventValidation, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MirroredEventTypes.class);

  private final Map<String, EventSchema> schemas = new ConcurrentHashMap<>();
  private final String topic;
  private final TopicMirror<EventType> mirror;

  public MirroredEventTypes(HooklineTopics topics, Map<String, Object> clientProps, KafkaClientMeters meters) {
    this.topic = topics.eventTypes().name();
    Map<String, Object> props = new HashMap<>(clientProps);
    props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "hookline-dispatcher-event-types");
    this.mirror = new TopicMirror<>(topics.eventTypes(), props, (key, previous, value) -> changed(key, value), meters);
  }

  /** On the mirror thread, before the change counts as applied. */
  private void changed(String key, EventType value) {
    if (value == null || value.getJsonSchema() == null) {
      schemas.remove(key);
      return;
    }
    try {
      schemas.put(key, EventSchema.compile(value.getJsonSchema()));
    } catch (EventSchema.InvalidSchemaException e) {
      schemas.remove(key);
      LOG.warn("The schema of event type {} on {} does not compile; its events are not validated: {}", key, topic,
          e.getMessage());
    }
  }

  public MirroredEventTypes start(Duration readyTimeout) throws TimeoutException, InterruptedException {
    mirror.start();
    mirror.awaitReady(readyTimeout);
    return this;
  }

  @Override
  public String violations(Event event) {
    if (schemas.isEmpty()) {
      return null;
    }
    EventSchema schema = schemas.get(HooklineTopics.eventTypeKey(event.portal(), event.name()));
    return schema == null ? null : schema.violations(event.payload() == null ? "null" : event.payload());
  }

  /** Why the event types are not current here, or null when they are. */
  public String notCurrent() {
    if (mirror.failure() != null) {
      return "the mirror of " + topic + " stopped: " + mirror.failure();
    }
    return mirror.isReady() ? null : "loading " + topic;
  }

  /** The mirror for a catch-up, or {@link SubscriptionSync.Stopped} when it no longer follows the topic. */
  MirrorEnds.Followed followed() {
    if (mirror.failure() != null) {
      throw new SubscriptionSync.Stopped("the mirror of " + topic + " no longer follows it", mirror.failure());
    }
    return new MirrorEnds.Followed(topic, mirror);
  }

  @Override
  public void close() {
    mirror.close();
  }
}
