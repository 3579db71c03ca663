package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.runtime.TopicMirror;
import io.hookline.schemas.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topic catalogue and the compacted-topic mirror against a real broker. */
@IntegrationTest
class KafkaFoundationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void createsEveryTopicWithItsPartitionsAndCompaction() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    HooklineTopics topics = new HooklineTopics(
        TopicSettings.defaults().withPrefix(prefix).withPartitions(3), RetrySchedule.parse("1s,1s,5m"));
    KAFKA.broker().createTopics(topics);
    KAFKA.broker().createTopics(topics); // idempotent

    try (Admin admin = KAFKA.broker().admin()) {
      Set<String> names = admin.listTopics().names().get();
      assertThat(names).contains(prefix + "events", prefix + "events.invalid", prefix + "webhooks",
          prefix + "attempts", prefix + "redeliveries", prefix + "dead-letter", prefix + "retry.1s", prefix + "retry.5m");
      assertThat(names.stream().filter(n -> n.startsWith(prefix + "retry."))).hasSize(2);
      var described = admin.describeTopics(List.of(prefix + "events")).allTopicNames().get();
      assertThat(described.get(prefix + "events").partitions()).hasSize(3);
      ConfigResource webhooks = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "webhooks");
      Config config = admin.describeConfigs(List.of(webhooks)).all().get().get(webhooks);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void mirrorFollowsUpsertsAndTombstonesAndGivesReadYourWrites() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(3), RetrySchedule.parse("1s"));
    KAFKA.broker().createTopics(topics);
    var t = topics.webhooks();
    try (var producer = new KafkaProducer<>(Map.<String, Object>copyOf(KAFKA.broker().clientProps()),
            t.keySerde().serializer(), t.valueSerde().serializer());
        var mirror = new TopicMirror<>(t, KAFKA.broker().clientProps(), null).start()) {
      mirror.awaitReady(Duration.ofSeconds(30));
      assertThat(mirror.values()).isEmpty();

      RecordMetadata m = producer.send(new ProducerRecord<>(t.name(), "w1", webhook("w1", "https://a.example/1"))).get();
      mirror.awaitApplied(m.partition(), m.offset(), Duration.ofSeconds(10));
      assertThat(mirror.get("w1")).map(Webhook::getUrl).contains("https://a.example/1");

      m = producer.send(new ProducerRecord<>(t.name(), "w1", webhook("w1", "https://a.example/2"))).get();
      mirror.awaitApplied(m.partition(), m.offset(), Duration.ofSeconds(10));
      assertThat(mirror.get("w1")).map(Webhook::getUrl).contains("https://a.example/2");

      m = producer.send(new ProducerRecord<String, Webhook>(t.name(), "w1", null)).get();
      mirror.awaitApplied(m.partition(), m.offset(), Duration.ofSeconds(10));
      assertThat(mirror.get("w1")).isEmpty();
    }
  }

  static Webhook webhook(String id, String url) {
    return Webhook.newBuilder().setId(id).setPortal("zylker").setUrl(url).setEvents(List.of("a.b"))
        .setEnabled(true).setSecrets(List.of(new SigningSecret("whsec_abc", 1L, null)))
        .setCreatedAt(1L).setUpdatedAt(1L).build();
  }
}
