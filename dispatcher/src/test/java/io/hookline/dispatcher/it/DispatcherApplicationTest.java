package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.RetryRequest;
import io.hookline.avro.Webhook;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher as operators run it: its own JVM, configured only through HOOKLINE_* environment
 * variables, stopped with SIGTERM (exit 0 after a clean shutdown) or killed (at-least-once: what was
 * not finished is sent again, with the same ids, by the next instance).
 */
@IntegrationTest
class DispatcherApplicationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static Process launch(Path log, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.hookline.dispatcher.DispatcherApplication")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Dispatcher consuming"));
    return process;
  }

  /** What an operator sets to run one dispatcher against the test broker. */
  private static Map<String, String> environment(String prefix, int partitions, String retryDelays, String group) {
    return Map.of(
        "HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers(),
        "HOOKLINE_TOPIC_PREFIX", prefix,
        "HOOKLINE_TOPIC_PARTITIONS", Integer.toString(partitions),
        "HOOKLINE_RETRY_DELAYS", retryDelays,
        "HOOKLINE_DISPATCHER_GROUP_ID", group,
        "HOOKLINE_ALLOW_PRIVATE_TARGETS", "true",
        "HOOKLINE_SECRETS_KEY", RunningDispatcher.SECRETS_KEY,
        "HOOKLINE_MANAGEMENT_PORT", "0");
  }

  /**
   * Saves a webhook for {@code eventName} at {@code path}, then publishes the event until the
   * receiver sees a request: the dispatcher's consumers may still be joining their group.
   */
  private static Webhook subscribeAndPublishUntilCalled(KafkaProducer<byte[], byte[]> producer, HooklineTopics topics,
      WebhookReceiver receiver, String path, String eventName) throws Exception {
    Webhook w = RunningDispatcher.webhook(receiver.url(path), eventName);
    producer.send(new ProducerRecord<>(topics.webhooks().name(), w.getId().getBytes(StandardCharsets.UTF_8),
        topics.webhooks().valueSerde().serializer().serialize("", w))).get();
    byte[] event = RunningDispatcher.json(eventName).getBytes(StandardCharsets.UTF_8);
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
      producer.send(new ProducerRecord<>(topics.events().name(), event)).get();
      return !receiver.requests(path).isEmpty();
    });
    return w;
  }

  @Test
  void runsFromEnvironmentVariablesAndStopsCleanlyOnSigterm() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    Path log = Files.createTempFile("dispatcher", ".log");
    Process process = launch(log, environment(prefix, 2, "2s,4s", "app-" + UUID.randomUUID()));
    try (WebhookReceiver receiver = WebhookReceiver.start();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.broker().clientProps(),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(2),
          RetrySchedule.parse("2s,4s"));
      try (var admin = KAFKA.broker().admin()) {
        var described = admin.describeTopics(List.of(topics.events().name(), topics.retry(Duration.ofSeconds(4)).name()))
            .allTopicNames().get();
        assertThat(described.get(topics.events().name()).partitions()).hasSize(2);
      }
      receiver.answer("/down", status(503));
      Webhook w = subscribeAndPublishUntilCalled(producer, topics, receiver, "/down", "app.event");

      try (TopicRecording<String, RetryRequest> retries = TopicRecording.of(topics.retry(Duration.ofSeconds(2)), KAFKA.broker().clientProps())) {
        assertThat(retries.awaitOne(r -> r.getWebhookId().equals(w.getId()), Duration.ofSeconds(15)).getAttempt()).isEqualTo(2);
      }

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(Files.readString(log)).contains("Dispatcher stopped");
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  @Test
  void afterACrashTheUnfinishedExecutionsAreSentAgainWithTheSameIds() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    String group = "crash-" + UUID.randomUUID();
    Path log = Files.createTempFile("dispatcher", ".log");
    Process process = launch(log, environment(prefix, 3, "1s,1s,1s", group));
    try (WebhookReceiver receiver = WebhookReceiver.start();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.broker().clientProps(),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(3),
          RetrySchedule.parse("1s,1s,1s"));
      receiver.answer("/crash", WebhookReceiver.hang());
      Webhook w = subscribeAndPublishUntilCalled(producer, topics, receiver, "/crash", "crash.event");
      java.util.Set<String> beforeCrash = new java.util.HashSet<>();
      receiver.requests("/crash").forEach(r -> beforeCrash.add(r.header("webhook-id")));

      process.destroyForcibly(); // SIGKILL while the requests hang: nothing was committed past them
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      receiver.answer("/crash", status(200));
      // The broker would notice the dead member after session.timeout.ms (45 s); evict it now instead.
      try (var admin = KAFKA.broker().admin()) {
        admin.removeMembersFromConsumerGroup(group, new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions())
            .all().get(10, TimeUnit.SECONDS);
      }

      try (RunningDispatcher restarted = new RunningDispatcher(KAFKA.broker(),
          Map.of("hookline.topic-prefix", prefix, "hookline.dispatcher-group-id", group, "hookline.topic-partitions", 3))) {
        await().atMost(Duration.ofSeconds(20)).until(() -> beforeCrash.stream().allMatch(id ->
            receiver.requests("/crash").stream().filter(r -> id.equals(r.header("webhook-id"))).count() >= 2));
        assertThat(restarted.attempts.await(a -> a.getWebhookId().equals(w.getId()) && a.getStatus() == io.hookline.avro.AttemptStatus.SENT,
            beforeCrash.size(), Duration.ofSeconds(10)))
            .extracting(io.hookline.avro.Attempt::getExecutionId).containsAll(beforeCrash);
      }
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
