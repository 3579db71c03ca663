package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.Webhook;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.KeyChange;
import io.hookline.runtime.TopicMirror;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Read-modify-write of a compacted topic by two writers that know nothing of each other (as two
 * processes would), and what a mirror does with records it cannot decode, against a real broker.
 */
@IntegrationTest
class FencedUpdatesTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void twoWritersIncrementingOneKeyConcurrentlyLoseNoIncrementAndAConditionOnAStaleValueIsRefused()
      throws Exception {
    Topic<String, Webhook> t = topics().webhooks();
    try (Admin admin = KAFKA.broker().admin();
        var mirrorA = new TopicMirror<>(t, KAFKA.broker().clientProps(), null).start();
        var mirrorB = new TopicMirror<>(t, KAFKA.broker().clientProps(), null).start();
        var a = new FencedUpdates<>(t, mirrorA, admin, clientProps("a"), TIMEOUT);
        var b = new FencedUpdates<>(t, mirrorB, admin, clientProps("b"), TIMEOUT)) {
      mirrorA.awaitReady(TIMEOUT);
      mirrorB.awaitReady(TIMEOUT);
      a.apply("w1", current -> KeyChange.Decision.write(KafkaFoundationTest.webhook("w1", "https://a.example/0"), 0L));

      // Each change adds one to the revision it finds; a lost update would leave the final count short.
      int perWriter = 200;
      List<CompletableFuture<Long>> changes = new ArrayList<>();
      for (int i = 0; i < perWriter; i++) {
        changes.add(a.submit("w1", FencedUpdatesTest::increment));
        changes.add(b.submit("w1", FencedUpdatesTest::increment));
      }
      List<Long> seen = new ArrayList<>();
      for (CompletableFuture<Long> change : changes) {
        seen.add(change.get(60, TimeUnit.SECONDS));
      }
      assertThat(seen).as("every change saw another revision").doesNotHaveDuplicates();
      assertThat(mirrorA.get("w1").orElseThrow().getRevision()).isEqualTo(2L * perWriter);

      // A condition is checked on the latest value, whichever writer wrote it.
      long latest = b.apply("w1", current -> KeyChange.Decision.none(current.orElseThrow().getRevision()));
      assertThat(latest).isEqualTo(2L * perWriter);
      assertThatThrownBy(() -> a.apply("w1", current -> {
        if (current.orElseThrow().getRevision() != latest - 1) {
          throw new IllegalStateException("stale");
        }
        return KeyChange.Decision.write(current.get(), 0L);
      })).hasMessage("stale");
    }
  }

  private static KeyChange.Decision<Webhook, Long> increment(java.util.Optional<Webhook> current) {
    Webhook w = current.orElseThrow();
    return KeyChange.Decision.write(Webhook.newBuilder(w).setRevision(w.getRevision() + 1).build(), w.getRevision());
  }

  @Test
  void anUndecodableRecordKeepsThePreviousValueIsHeldAndToldUntilADecodableOneReplacesIt() throws Exception {
    Topic<String, Webhook> t = topics().webhooks();
    Map<String, Object> props = new HashMap<>(KAFKA.broker().clientProps());
    List<TopicMirror.Undecodable> told = new CopyOnWriteArrayList<>();
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        var mirror = new TopicMirror<>(t, KAFKA.broker().clientProps(), null).onUndecodable(told::add).start()) {
      mirror.awaitReady(TIMEOUT);
      byte[] good = t.valueSerde().serializer().serialize(t.name(), KafkaFoundationTest.webhook("w1", "https://a/1"));
      send(producer, mirror, t.name(), "w1", good);
      RecordMetadata bad = send(producer, mirror, t.name(), "w1", "garbage".getBytes(StandardCharsets.UTF_8));

      assertThat(mirror.get("w1")).as("the previous value stays in force").map(Webhook::getUrl).contains("https://a/1");
      assertThat(mirror.undecodable()).containsOnlyKeys("w1");
      TopicMirror.Undecodable held = mirror.undecodable().get("w1");
      assertThat(held.offset()).isEqualTo(bad.offset());
      assertThat(held.reason()).isEqualTo(TopicMirror.UNDECODABLE);
      assertThat(held.valueBytes()).asString(StandardCharsets.UTF_8).isEqualTo("garbage");
      assertThat(told).containsExactly(held);
      assertThat(mirror.undecodableSeen()).isEqualTo(1);

      byte[] next = t.valueSerde().serializer().serialize(t.name(), KafkaFoundationTest.webhook("w1", "https://a/2"));
      send(producer, mirror, t.name(), "w1", next);
      assertThat(mirror.get("w1")).map(Webhook::getUrl).contains("https://a/2");
      assertThat(mirror.undecodable()).as("replaced by a decodable record").isEmpty();
    }
  }

  @Test
  void aMirrorNeverShowsAnAbortedWrite() throws Exception {
    Topic<String, Webhook> t = topics().webhooks();
    Map<String, Object> props = new HashMap<>(KAFKA.broker().clientProps());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-" + t.name());
    try (var producer = new KafkaProducer<>(props, t.keySerde().serializer(), t.valueSerde().serializer());
        var mirror = new TopicMirror<>(t, KAFKA.broker().clientProps(), null).start()) {
      mirror.awaitReady(TIMEOUT);
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(t.name(), 0, "w1", KafkaFoundationTest.webhook("w1", "https://aborted")));
      producer.abortTransaction();
      producer.beginTransaction();
      RecordMetadata kept = producer.send(
          new ProducerRecord<>(t.name(), 0, "w2", KafkaFoundationTest.webhook("w2", "https://kept"))).get();
      producer.commitTransaction();
      mirror.awaitApplied(kept.partition(), kept.offset(), TIMEOUT);
      assertThat(mirror.get("w2")).isPresent();
      assertThat(mirror.get("w1")).as("aborted").isEmpty();
    }
  }

  private static RecordMetadata send(KafkaProducer<String, byte[]> producer, TopicMirror<?> mirror, String topic,
      String key, byte[] value) throws Exception {
    RecordMetadata m = producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
    mirror.awaitApplied(m.partition(), m.offset(), TIMEOUT);
    return m;
  }

  private static Map<String, Object> clientProps(String clientId) {
    Map<String, Object> props = new HashMap<>(KAFKA.broker().clientProps());
    props.put("client.id", "fenced-" + clientId);
    return props;
  }

  private static HooklineTopics topics() {
    HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(KafkaBroker.uniquePrefix())
        .withPartitions(1), RetrySchedule.parse("1s"));
    KAFKA.broker().createTopics(topics);
    return topics;
  }
}
