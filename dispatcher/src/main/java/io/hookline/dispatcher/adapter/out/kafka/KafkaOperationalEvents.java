package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.dispatcher.application.OperationalEvents;
import io.hookline.dispatcher.domain.OperationalEvent;
import io.hookline.schemas.HooklineTopics;
import java.util.concurrent.CompletableFuture;

/**
 * Operational events on the operational topic, keyed by webhook id, written by the same idempotent
 * producer ({@code acks=all}) as the outcomes they follow ({@link KafkaOutcomeLog}).
 */
public final class KafkaOperationalEvents implements OperationalEvents {

  private final HooklineTopics topics;
  private final KafkaOutcomeLog log;

  public KafkaOperationalEvents(HooklineTopics topics, KafkaOutcomeLog log) {
    this.topics = topics;
    this.log = log;
  }

  @Override
  public CompletableFuture<Void> publish(OperationalEvent event) {
    return log.send(topics.operational(), event.webhookId(), OperationalRecords.toAvro(event));
  }
}
