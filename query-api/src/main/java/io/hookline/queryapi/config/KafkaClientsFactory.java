package io.hookline.queryapi.config;

import io.hookline.avro.Webhook;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.TopicMirror;
import io.hookline.runtime.TopicProvisioner;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of the query API, created in start-up order and closed on shutdown: the admin
 * client, the topic catalogue (handed out only once every catalogue topic exists), the producer for
 * writes, and the mirror of the webhooks topic, which is created eagerly and loaded before the
 * server takes requests, so no request ever sees a half-loaded list of webhooks.
 */
@Factory
public class KafkaClientsFactory {

  /** How long start-up may wait for Kafka (topic creation, initial load of the webhooks). */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  static Map<String, Object> clientProps(HooklineConfiguration config, String clientId) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.getKafkaBootstrapServers());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    // No JMX MBeans: nothing reads them (metrics go through Micrometer's binders), and each costs
    // start-up time.
    props.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
    return props;
  }

  @Singleton
  @Bean(preDestroy = "close")
  public Admin admin(HooklineConfiguration config) {
    return Admin.create(clientProps(config, "hookline-query-api-admin"));
  }

  @Singleton
  HooklineTopics topics(HooklineConfiguration config, Admin admin) {
    HooklineTopics topics = config.topics();
    TopicProvisioner.ensureTopics(admin, topics, STARTUP_TIMEOUT);
    return topics;
  }

  /** Idempotent, acks=all: a write acknowledged to a caller is on every in-sync replica, once. */
  @Singleton
  @Bean(preDestroy = "close")
  public Producer<byte[], byte[]> producer(HooklineConfiguration shared, QueryApiConfiguration config) {
    Map<String, Object> props = clientProps(shared, "hookline-query-api-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    int timeout = (int) config.getWriteTimeout().toMillis();
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Context
  @Bean(preDestroy = "close")
  public TopicMirror<Webhook> webhooksMirror(HooklineConfiguration config, HooklineTopics topics) {
    TopicMirror<Webhook> mirror =
        new TopicMirror<>(topics.webhooks(), clientProps(config, "hookline-query-api-webhooks"), null).start();
    try {
      mirror.awaitReady(STARTUP_TIMEOUT);
    } catch (TimeoutException e) {
      mirror.close();
      throw new IllegalStateException("The webhooks topic " + topics.webhooks().name()
          + " did not load within " + STARTUP_TIMEOUT + " (is Kafka reachable?)", e);
    } catch (InterruptedException e) {
      mirror.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while loading " + topics.webhooks().name(), e);
    }
    return mirror;
  }
}
