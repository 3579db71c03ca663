package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.dispatcher.application.SubscriptionSync;
import io.hookline.dispatcher.application.Subscriptions;
import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.SubscriberIndex;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.schemas.CustomHeaders;
import io.hookline.schemas.HooklineTopics;
import io.hookline.runtime.TopicMirror;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.hookline.runtime.metrics.UndecodableWebhookMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * The webhooks topic, followed live: a {@link TopicMirror} reads every webhook, which is kept here
 * as the domain's {@link Webhook} (converted once per change) and fed to a {@link SubscriberIndex}, so a webhook created, changed or deleted takes effect within a poll
 * interval, without a restart. {@link #start} returns only after the whole topic is loaded, so no
 * event is matched against a partial list of subscriptions.
 *
 * <p>{@link #catchUp} asks the broker for the end of every webhooks partition (one asynchronous
 * {@code ListOffsets} round trip; its leaders are cached by the admin client) and completes once
 * the mirror has applied everything before those offsets: every webhook write acknowledged before
 * the call is then in effect here. The mirror consumer's own view of the end offsets (the last
 * stable offsets of its latest fetch responses, as {@code KafkaConsumer#currentLag} reports them)
 * would save the request but proves nothing: that response may have been built before the event
 * was appended (an idle fetch waits at the broker for up to {@code fetch.max.wait.ms}), and only a
 * request sent after the event was polled is sure to see a change written before it.
 */
public final class MirroredSubscriptions implements Subscriptions, SubscriptionSync, AutoCloseable {

  private final SubscriberIndex index = new SubscriberIndex();
  private final Map<String, Webhook> webhooks = new ConcurrentHashMap<>();
  private final String topic;
  private final TopicMirror<io.hookline.avro.Webhook> mirror;
  private final Admin admin;
  private volatile boolean closed;
  private volatile ChangeListener listener = (before, now) -> {};

  /** Told of every change to a webhook on the mirror thread; {@code null} for absent. */
  @FunctionalInterface
  public interface ChangeListener {
    void changed(Webhook before, Webhook now);
  }

  public MirroredSubscriptions(HooklineTopics topics, Map<String, Object> clientProps, KafkaClientMeters meters) {
    this.topic = topics.webhooks().name();
    this.mirror = new TopicMirror<>(topics.webhooks(), clientProps, (id, previous, value) -> changed(id, value), meters);
    Map<String, Object> adminProps = new HashMap<>(clientProps);
    adminProps.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "hookline-dispatcher-webhooks-end");
    this.admin = meters.admin(Admin.create(adminProps));
  }

  /** On the mirror thread, before the change counts as applied. */
  private void changed(String id, io.hookline.avro.Webhook value) {
    Webhook now = value == null ? null : webhook(value);
    Webhook before = now == null ? webhooks.remove(id) : webhooks.put(id, now);
    index.changed(id, before, now);
    listener.changed(before, now);
  }

  /** Sets who is told of changes from now on. */
  public void onChange(ChangeListener listener) {
    this.listener = listener;
  }

  /** The webhook as stored on the topic, as far as the mirror has read it. */
  Optional<io.hookline.avro.Webhook> stored(String webhookId) {
    return mirror.get(webhookId);
  }

  static Webhook webhook(io.hookline.avro.Webhook w) {
    return new Webhook(w.getId(), w.getPortal(), w.getUrl(), List.copyOf(w.getEvents()), w.getEnabled(),
        w.getSecrets().stream().map(s -> new SigningSecret(s.getSecret(), s.getCreatedAt(), s.getExpiresAt())).toList(),
        w.getFailingSince(), w.getRateLimit(), customHeaders(w), w.getOrdering());
  }

  /**
   * The webhook's custom headers that may be sent: the API refuses the others, so one here was
   * written by someone else, and is left out rather than replacing a header Hookline sets.
   */
  private static Map<String, String> customHeaders(io.hookline.avro.Webhook w) {
    if (w.getHeaders() == null || w.getHeaders().isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    w.getHeaders().forEach((name, value) -> {
      if (CustomHeaders.problem(name, value) == null) {
        out.put(name, value);
      }
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  public MirroredSubscriptions start(Duration readyTimeout) throws TimeoutException, InterruptedException {
    mirror.start();
    mirror.awaitReady(readyTimeout);
    return this;
  }

  /** Waits until the record at {@code offset} of {@code partition} is in effect. */
  public void awaitApplied(int partition, long offset, Duration timeout) throws TimeoutException, InterruptedException {
    mirror.awaitApplied(partition, offset, timeout);
  }

  /**
   * Why the webhooks are not current here, or null when they are: the whole topic was loaded and
   * the mirror follows it.
   */
  public String notCurrent() {
    if (closed) {
      return "closed";
    }
    if (mirror.failure() != null) {
      return "the mirror of " + topic + " stopped: " + mirror.failure();
    }
    return mirror.isReady() ? null : "loading " + topic;
  }

  /**
   * The webhooks whose latest record cannot be decoded, each with the record and the reason: they
   * keep their previous version here until a decodable record replaces it (the query API copies the
   * record to the invalid topic and writes the previous version back).
   */
  public Map<String, String> undecodable() {
    Map<String, String> out = new java.util.TreeMap<>();
    mirror.undecodable().forEach((id, record) -> out.put(id, record.describe(topic)));
    return out;
  }

  /** Counts undecodable webhook records in {@code registry} ({@link UndecodableWebhookMeters}). */
  public void bindUndecodableMeters(MeterRegistry registry) {
    UndecodableWebhookMeters.bind(registry, mirror);
  }

  @Override
  public CompletableFuture<Void> catchUp() {
    if (closed || mirror.failure() != null) {
      return CompletableFuture.failedFuture(new Stopped("the mirror of " + topic + " no longer follows it", mirror.failure()));
    }
    return MirrorEnds.caughtUp(admin, topic, mirror);
  }

  /**
   * The input gate's catch-up: completes once every webhook and every event type written before the
   * call is in effect here. One {@code ListOffsets} request covers the partitions of both topics, so
   * a look-up costs one round trip, not one per topic.
   */
  public SubscriptionSync catchUpWith(MirroredEventTypes eventTypes) {
    return () -> {
      if (closed || mirror.failure() != null) {
        return CompletableFuture.failedFuture(new Stopped("the mirror of " + topic + " no longer follows it", mirror.failure()));
      }
      try {
        return MirrorEnds.caughtUp(admin, List.of(new MirrorEnds.Followed(topic, mirror), eventTypes.followed()));
      } catch (Stopped e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  @Override
  public List<Webhook> subscribersOf(String portal, String event) {
    return index.subscribers(portal, event);
  }

  @Override
  public Optional<Webhook> find(String webhookId) {
    return Optional.ofNullable(webhooks.get(webhookId));
  }

  @Override
  public void close() {
    closed = true;
    mirror.close();
    admin.close(Duration.ofSeconds(2));
  }
}
