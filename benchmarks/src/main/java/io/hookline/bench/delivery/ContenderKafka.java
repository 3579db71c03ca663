package io.hookline.bench.delivery;

import io.hookline.avro.Attempt;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A contender's side of the broker: its input topic (for Hookline, all its topics and one webhook
 * per portal, with a secret encrypted as the API stores it), and what Hookline wrote back (attempt
 * records by outcome, end offsets). Topic names carry the run's id, so contenders never share a
 * topic or a consumer group.
 */
final class ContenderKafka {

  /** How long freshly created topics may take to have a leader for every partition. */
  static final Duration LEADER_WAIT = Duration.ofSeconds(60);

  private final String secretsKey = SecretCipher.generateBase64Key();

  private final ContenderSetup setup;
  private final DeliverySettings settings;

  ContenderKafka(ContenderSetup setup) {
    this.setup = setup;
    this.settings = setup.settings();
  }

  /** Base64 of the AES key the webhooks' secrets are encrypted with (Hookline's HOOKLINE_SECRETS_KEY). */
  String secretsKey() {
    return secretsKey;
  }

  private String preparedTopic;
  private boolean prepared;

  /**
   * Creates the contender's topics (and Hookline's webhooks) ahead of its run: the benchmark calls
   * this for every contender right after the broker starts, because producing to partitions created
   * a moment before can get NOT_LEADER for a batch the broker did write, and the idempotent producer
   * then loops on OUT_OF_ORDER_SEQUENCE until its delivery timeout (2 minutes).
   *
   * @return the input topic, null for the ceiling
   */
  String prepare() throws Exception {
    if (!prepared) {
      preparedTopic = prepareInput();
      prepared = true;
    }
    return preparedTopic;
  }

  /** Creates the contender's input topic (and for Hookline its topics and webhooks); its name. */
  private String prepareInput() throws Exception {
    switch (setup.contender()) {
      case CEILING:
        return null;
      case HOOKLINE:
      case HOOKLINE_REGISTRY:
      case HOOKLINE_SCHEMA:
      case HOOKLINE_ORDERED:
        HooklineTopics topics = hooklineTopics();
        setup.broker().createTopics(topics);
        setup.broker().awaitLeaders(List.of(topics.webhooks().name(), topics.events().name(), topics.attempts().name(),
            topics.eventTypes().name()), LEADER_WAIT);
        writeWebhooks(topics);
        return topics.events().name();
      default:
        String name = "bench" + setup.id() + "." + setup.contender().id + ".events";
        try (Admin admin = setup.broker().admin()) {
          admin.createTopics(List.of(new NewTopic(name, settings.partitions(), (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        setup.broker().awaitLeaders(List.of(name), LEADER_WAIT);
        return name;
    }
  }

  HooklineTopics hooklineTopics() {
    return new HooklineTopics(
        new TopicSettings(prefix(), settings.partitions(), (short) 1, TopicSettings.DEFAULT_RETENTION),
        RetrySchedule.parse(System.getenv().getOrDefault("HOOKLINE_RETRY_DELAYS", RetrySchedule.DEFAULT_DELAYS)));
  }

  String prefix() {
    return "bench" + setup.id() + ".hookline.";
  }

  /**
   * The webhooks, {@code fanout} per portal (one by default), each subscribed to the benchmark's
   * event, its secret encrypted as the API stores it; ordered by key for {@link Contender#HOOKLINE_ORDERED}. For
   * {@link Contender#HOOKLINE_SCHEMA} each portal declares the event type with {@link EventShape#ORDER_SCHEMA}.
   */
  private void writeWebhooks(HooklineTopics topics) throws Exception {
    SecretCipher cipher = SecretCipher.fromBase64Key(secretsKey, "bench");
    Topic<String, Webhook> t = topics.webhooks();
    SecureRandom random = new SecureRandom();
    long now = System.currentTimeMillis();
    // Not idempotent: right after the topic is created the broker may answer NOT_LEADER for a batch
    // it did write, and the idempotent retry then loops on OUT_OF_ORDER_SEQUENCE until the delivery
    // timeout (2 min). A webhook written twice is harmless on the compacted topic.
    Map<String, Object> props = new HashMap<>(setup.broker().clientProps());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int w = 0; w < settings.webhooks(); w++) {
        String webhookId = "wh-" + w;
        byte[] key = new byte[24];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Webhook webhook = Webhook.newBuilder().setId(webhookId).setPortal(BenchEvents.portal(w / settings.fanout()))
            .setUrl(setup.receiver().url(setup.tag(), w)).setEvents(List.of(BenchEvents.EVENT_NAME)).setEnabled(true)
            .setSecrets(List.of(new SigningSecret(cipher.encrypt(secret, webhookId), now, null)))
            .setCreatedAt(now).setUpdatedAt(now).build();
        if (setup.contender() == Contender.HOOKLINE_ORDERED) {
          webhook.setOrdering("key");
        }
        sent.add(p.send(new ProducerRecord<>(t.name(), t.keySerde().serializer().serialize(t.name(), webhookId),
            t.valueSerde().serializer().serialize(t.name(), webhook))));
        if (BenchEvents.SCHEMA_ON) {
          sent.add(p.send(BenchEvents.eventType(topics.eventTypes(), BenchEvents.portal(w), now)));
        }
        if (setup.contender() == Contender.HOOKLINE_SCHEMA) {
          sent.add(p.send(BenchEvents.eventType(topics.eventTypes(), BenchEvents.portal(w), now,
              EventShape.ORDER_SCHEMA)));
        }
      }
      for (var s : sent) {
        s.get(2, TimeUnit.MINUTES); // a webhook missing would silently drop its events (no subscriber)
      }
    }
  }

  /** How many attempt records Hookline wrote (it writes one per delivery, before committing). */
  String attemptsNote(int expected) {
    String attempts = hooklineTopics().attempts().name();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long count = -1;
    while (System.nanoTime() < deadline) {
      count = endOffsetsSum(attempts);
      if (count >= expected) {
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    return String.format("%,d attempt records for %,d deliveries of the healthy phases (%s).", count, expected,
        attemptOutcomes());
  }

  /** Attempt records by status and error code, e.g. {@code SENT=65000 TIMEOUT/TIMEOUT=2}. */
  String attemptOutcomes() {
    Topic<String, Attempt> topic = hooklineTopics().attempts();
    Map<String, Object> props = new HashMap<>(setup.broker().clientProps());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, Long> byOutcome = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < settings.partitions(); p++) {
        partitions.add(new TopicPartition(topic.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          Attempt a = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
          String key = a.getStatus() + (a.getErrorCode() == null ? "" : "/" + a.getErrorCode());
          byOutcome.merge(key, 1L, Long::sum);
        }
      }
    } catch (RuntimeException e) {
      return "attempts not read: " + e.getMessage();
    }
    return byOutcome.toString();
  }

  /**
   * Waits until the contender's consumer group is stable with every partition of {@code topic}
   * assigned: from then on an event produced to it is fetched at once. For Hookline that is after
   * its start-up (topics checked, webhooks and event types loaded). Returns how long it waited.
   */
  Duration awaitConsuming(String topic, ChildJvm child, Duration bound) throws Exception {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    try (Admin admin = setup.broker().admin()) {
      while (System.nanoTime() < deadline) {
        if (!child.alive()) {
          throw new IllegalStateException(setup.contender().label + " stopped while starting; its log ends:\n" + child.tail(30));
        }
        try {
          ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(setup.group())).all()
              .get(30, TimeUnit.SECONDS).get(setup.group());
          long assigned = group.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
              .filter(tp -> tp.topic().equals(topic)).count();
          if (group.groupState() == GroupState.STABLE && assigned == settings.partitions()) {
            return Duration.ofNanos(System.nanoTime() - start);
          }
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof GroupIdNotFoundException)) {
            throw e;
          }
          // not joined yet
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
    throw new IllegalStateException(setup.contender().label + " did not consume " + topic + " within " + bound
        + "; its log ends:\n" + child.tail(30));
  }

  long endOffsetsSum(String topic) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < settings.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try (Admin admin = setup.broker().admin()) {
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset()).sum();
    } catch (Exception e) {
      return -1;
    }
  }
}
