package io.hookline.dispatcher.it;

import io.hookline.avro.Attempt;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.Dispatcher;
import io.hookline.runtime.SubscriptionMarkers;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A dispatcher started in-process as users run it (Micronaut context, configuration properties),
 * on its own topic prefix and group, with a real HTTP receiver, a producer for the input side and
 * a recording of every output topic. One per test class.
 */
final class RunningDispatcher implements AutoCloseable {

  static final String PORTAL = "zylker";
  /** The key the dispatcher decrypts signing secrets with, as the query API encrypts them. */
  static final String SECRETS_KEY = io.hookline.runtime.SecretCipher.generateBase64Key();

  final KafkaBroker broker;
  final String prefix;
  final String groupId;
  final ApplicationContext context;
  final Dispatcher dispatcher;
  final HooklineTopics topics;
  final WebhookReceiver receiver = WebhookReceiver.start();
  final KafkaProducer<byte[], byte[]> producer;
  final Admin admin;
  final SubscriptionMarkers markers;
  final TopicRecording<String, Attempt> attempts;
  final TopicRecording<String, FailedExecution> deadLetters;
  final TopicRecording<String, RetryRequest> retries;
  final TopicRecording<byte[], byte[]> invalid;

  RunningDispatcher(KafkaBroker broker, Map<String, Object> overrides) {
    this.broker = broker;
    this.prefix = (String) overrides.getOrDefault("hookline.topic-prefix", KafkaBroker.uniquePrefix());
    this.groupId = (String) overrides.getOrDefault("hookline.dispatcher-group-id", "dispatcher-" + UUID.randomUUID());
    Map<String, Object> props = new HashMap<>();
    props.put("hookline.kafka-bootstrap-servers", broker.bootstrapServers());
    props.put("hookline.topic-prefix", prefix);
    props.put("hookline.topic-partitions", 3);
    props.put("hookline.retry-delays", "1s,1s,1s");
    props.put("hookline.dispatcher-group-id", groupId);
    props.put("hookline.allow-private-targets", true); // the receivers listen on 127.0.0.1
    props.put("hookline.secrets-key", SECRETS_KEY);
    props.putAll(overrides);
    this.context = ApplicationContext.run(props);
    this.dispatcher = context.getBean(Dispatcher.class);
    this.topics = dispatcher.topics();
    this.producer = new KafkaProducer<>(broker.clientProps(), new ByteArraySerializer(), new ByteArraySerializer());
    this.admin = broker.admin();
    this.markers = new SubscriptionMarkers(producer, admin, List.of(topics.events().name()), "test", Duration.ofSeconds(30));
    this.attempts = TopicRecording.of(topics.attempts(), broker.clientProps());
    this.deadLetters = TopicRecording.of(topics.deadLetter(), broker.clientProps());
    this.retries = TopicRecording.of(topics.retry(Duration.ofSeconds(1)), broker.clientProps());
    this.invalid = TopicRecording.of(topics.eventsInvalid(), broker.clientProps());
  }

  static String newSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  static Webhook webhook(String url, String... events) {
    long now = System.currentTimeMillis();
    return Webhook.newBuilder().setId("wh_" + UUID.randomUUID()).setPortal(PORTAL).setUrl(url)
        .setEvents(List.of(events)).setEnabled(true)
        .setSecrets(List.of(new SigningSecret(newSecret(), now, null)))
        .setCreatedAt(now).setUpdatedAt(now).build();
  }

  /** Writes the webhook (as the API would) without waiting for the dispatcher to see it. */
  RecordMetadata putWebhook(Webhook w) {
    return send(topics.webhooks(), w.getId(), w);
  }

  /** Writes the webhook and waits until the dispatcher uses it. */
  Webhook save(Webhook w) {
    RecordMetadata m = putWebhook(w);
    try {
      dispatcher.awaitWebhooksApplied(m.partition(), m.offset(), Duration.ofSeconds(10));
    } catch (Exception e) {
      throw new AssertionError("the dispatcher did not apply webhook " + w.getId(), e);
    }
    return w;
  }

  Webhook createWebhook(String path, String... events) {
    return save(webhook(receiver.url(path), events));
  }

  void deleteWebhook(String id) {
    RecordMetadata m = send(topics.webhooks(), id, null);
    try {
      dispatcher.awaitWebhooksApplied(m.partition(), m.offset(), Duration.ofSeconds(10));
    } catch (Exception e) {
      throw new AssertionError("the dispatcher did not apply the deletion of " + id, e);
    }
  }

  static Event event(String name) {
    return Event.newBuilder().setId(UUID.randomUUID().toString()).setPortal(PORTAL).setEvent(name)
        .setEntity("conversation").setEntityId("19367000000130079").setEntityLabel("{\"id\":\"19367000000130079\"}")
        .setAppId("19367000000002043").setEventTime(System.currentTimeMillis())
        .setPayload("{\"text\":\"hello\",\"n\":1}").build();
  }

  static String json(String eventName) {
    return "{\"portal\":\"" + PORTAL + "\",\"app_id\":\"19367000000002043\",\"event\":\"" + eventName + "\","
        + "\"entity\":\"conversation\",\"entity_id\":\"19367000000130079\","
        + "\"entity_label\":{\"id\":\"19367000000130079\"},\"payload\":{\"message\":\"hi\",\"nested\":[1,2,3]}}";
  }

  RecordMetadata publish(byte[] value) {
    return publish(null, value);
  }

  /** Publishes raw bytes to the events topic, to {@code partition} when given. */
  RecordMetadata publish(Integer partition, byte[] value) {
    return sendRaw(new ProducerRecord<>(topics.events().name(), partition, PORTAL.getBytes(StandardCharsets.UTF_8), value));
  }

  RecordMetadata publishJson(Integer partition, String json) {
    return publish(partition, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Marks every events partition after a subscription change, as the API does before it answers the change. */
  void markSubscriptions() {
    try {
      markers.markAndWait(Duration.ofSeconds(30));
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot mark the input topics", e);
    }
  }

  RecordMetadata redeliver(RetryRequest request) {
    return send(topics.redeliveries(), request.getWebhookId(), request);
  }

  <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
    byte[] v = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
    return sendRaw(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), v));
  }

  RecordMetadata sendRaw(ProducerRecord<byte[], byte[]> record) {
    try {
      return producer.send(record).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("cannot publish to " + record.topic(), e);
    }
  }

  /** The dispatcher group's committed offset of an events partition, -1 if none. */
  long committed(int partition) {
    return committed(topics.events().name(), partition);
  }

  /** The dispatcher group's committed offset of a partition, -1 if none. */
  long committed(String topic, int partition) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      OffsetAndMetadata o = offsets.get(new TopicPartition(topic, partition));
      return o == null ? -1 : o.offset();
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  List<Attempt> attemptsOf(String webhookId) {
    return attempts.values(a -> a.getWebhookId().equals(webhookId));
  }

  @Override
  public void close() {
    context.close();
    markers.close();
    attempts.close();
    deadLetters.close();
    retries.close();
    invalid.close();
    producer.close(Duration.ofSeconds(5));
    admin.close();
    receiver.close();
  }
}
