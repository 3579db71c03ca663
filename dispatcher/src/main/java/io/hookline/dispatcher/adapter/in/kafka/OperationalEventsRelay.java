package io.hookline.dispatcher.adapter.in.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.OperationalEvent;
import io.hookline.dispatcher.application.OperatorNotifications;
import io.hookline.runtime.GroupMembership;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the operational topic in its own consumer group, on its own thread, and hands each event
 * as JSON to {@link OperatorNotifications}, one at a time, in order per partition; offsets are
 * committed after each poll's events were sent or given up on (at-least-once: after a crash the
 * operator may get an event again, with the same {@code webhook-id}). Delivery of webhooks never
 * waits for it. A group without committed offsets starts at the end of the topic, so pointing a
 * running Hookline at an operator URL does not replay the topic's whole retention. ({@code
 * by_duration} offset reset would also send the last minutes, but with an empty partition it held
 * the first events back for about 20 s in the end-to-end test.)
 *
 * <p>The JSON body has the fields of the Avro {@code OperationalEvent}, snake_case, null where a
 * field does not apply; times are epoch ms.
 */
public final class OperationalEventsRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperationalEventsRelay.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Few records per poll: each can take {@link OperatorNotifications#longest} when the operator is down. */
  private static final int MAX_POLL_RECORDS = 5;

  private final Topic<String, OperationalEvent> topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final OperatorNotifications notifications;
  private final Duration longest;
  private final Thread thread;
  private volatile boolean running = true;

  public OperationalEventsRelay(Map<String, Object> clientProps, String groupId, HooklineTopics topics,
      OperatorNotifications notifications, Duration attemptTimeout) {
    this.topic = topics.operational();
    this.notifications = notifications;
    this.longest = notifications.longest(attemptTimeout).plusSeconds(5);
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        (int) Math.max(300_000, longest.multipliedBy(MAX_POLL_RECORDS + 1L).toMillis()));
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "dispatcher-operational-relay");
    this.thread.setDaemon(true);
  }

  public OperationalEventsRelay start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic.name()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          LOG.info("Sending operational events of {} to the operator URL", partitions);
        }
      });
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> r : records) {
          relay(r);
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("The operational events relay stopped", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("The operational events relay stopped; operational webhooks are no longer sent", e);
    } finally {
      GroupMembership.leave(consumer, Duration.ofSeconds(2));
    }
  }

  private void relay(ConsumerRecord<String, byte[]> r) throws InterruptedException {
    OperationalEvent event;
    try {
      event = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      LOG.error("Skipping undecodable operational event {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
          e.getMessage());
      return;
    }
    if (event == null) {
      return;
    }
    LOG.debug("Sending operational event {} ({})", event.getId(), event.getType());
    try {
      notifications.send(event.getId(), json(event)).get(longest.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("Operational event {} not sent: {}", event.getId(), e.getMessage());
    }
  }

  /** The event as the operator receives it. */
  public static byte[] json(OperationalEvent e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", e.getId());
    body.put("type", e.getType());
    body.put("webhook_id", e.getWebhookId());
    body.put("portal", e.getPortal());
    body.put("url", e.getUrl());
    body.put("occurred_at", e.getOccurredAt());
    body.put("reason", e.getReason());
    body.put("failed_execution_id", e.getFailedExecutionId());
    body.put("http_status", e.getHttpStatus());
    body.put("error_code", e.getErrorCode());
    body.put("consecutive_failures", e.getConsecutiveFailures());
    body.put("failing_since", e.getFailingSince());
    body.put("number_of_retries", e.getNumberOfRetries());
    body.put("enabled", e.getEnabled());
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("Cannot write an operational event as JSON", ex);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
