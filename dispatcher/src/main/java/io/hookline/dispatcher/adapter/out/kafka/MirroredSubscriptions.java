package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.avro.Webhook;
import io.hookline.dispatcher.application.Subscriptions;
import io.hookline.dispatcher.domain.SubscriberIndex;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.TopicMirror;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The webhooks topic, followed live: a {@link TopicMirror} holds every webhook and feeds a
 * {@link SubscriberIndex}, so a webhook created, changed or deleted takes effect within a poll
 * interval, without a restart. {@link #start} returns only after the whole topic is loaded, so no
 * event is matched against a partial list of subscriptions.
 */
public final class MirroredSubscriptions implements Subscriptions, AutoCloseable {

  private final SubscriberIndex index = new SubscriberIndex();
  private final TopicMirror<Webhook> mirror;

  public MirroredSubscriptions(HooklineTopics topics, Map<String, Object> clientProps) {
    this.mirror = new TopicMirror<>(topics.webhooks(), clientProps, index::changed);
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

  @Override
  public List<Webhook> subscribersOf(String portal, String event) {
    return index.subscribers(portal, event);
  }

  @Override
  public Optional<Webhook> find(String webhookId) {
    return mirror.get(webhookId);
  }

  @Override
  public void close() {
    mirror.close();
  }
}
