package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.DispatcherSettings;
import io.hookline.dispatcher.DispatcherWarmUp;
import io.hookline.dispatcher.adapter.out.metrics.MicrometerDeliveryMetrics;
import io.hookline.dispatcher.application.EventValidation;
import io.hookline.dispatcher.application.JitWarmUp;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.WebhookReceiver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The start-up warm-up as users rely on it: it runs the delivery path within its budget, and
 * nothing of it can be seen: no request to a real webhook (even one subscribed to the very portal and
 * event the synthetic events name), no record in any Kafka topic, no count in the metrics. Off with
 * {@code 0s}.
 */
@IntegrationTest
class DispatcherWarmUpTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration BUDGET = Duration.ofSeconds(1);
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);

  @Test
  void itRunsTheDeliveryPathWithinItsBudgetAndLeavesNoTrace() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    // Private targets refused, as by default: the warm-up's own receiver on 127.0.0.1 is reached all the same.
    DispatcherSettings s = settings(prefix, BUDGET);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    DispatcherWarmUp.Report report = DispatcherWarmUp.start(s, new HooklineTopics(s.topics(), s.retrySchedule()),
        SecretCipher.fromBase64Key(RunningDispatcher.SECRETS_KEY, "test"), EventValidation.NONE,
        new MicrometerDeliveryMetrics(registry, false)).awaitDone().orElseThrow();

    JitWarmUp.Result r = report.result();
    assertThat(r.submitted()).isPositive();
    assertThat(r.finished()).isEqualTo(r.submitted());
    assertThat(report.requests()).isGreaterThanOrEqualTo(r.finished()); // some events fan out to three webhooks
    // Events stop at the budget; what is in flight then finishes within one delivery timeout.
    assertThat(r.elapsed()).isLessThanOrEqualTo(BUDGET.plus(DELIVERY_TIMEOUT).plusSeconds(1));
    assertThat(registry.find("hookline.delivery.attempts").counters()).isNotEmpty()
        .allSatisfy(c -> assertThat(c.count()).isZero());
    assertThat(registry.find("hookline.delivery.duration").timer().count()).isZero();
    try (Admin admin = KAFKA.broker().admin()) {
      assertThat(admin.listTopics().names().get()).noneMatch(name -> name.startsWith(prefix));
    }
  }

  @Test
  void aDispatcherThatWarmedUpDeliversOnlyRealEventsToRealWebhooks() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    String portal = DispatcherWarmUp.PORTAL_PREFIX + "0";
    HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(3),
        RetrySchedule.parse("1s,1s,1s"));
    KAFKA.broker().createTopics(topics);
    KAFKA.broker().awaitLeaders(List.of(topics.webhooks().name()), Duration.ofSeconds(30));
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      Webhook real = storeWebhook(topics, portal, receiver.url("/real"));

      try (RunningDispatcher hookline = new RunningDispatcher(KAFKA.broker(),
          Map.of("hookline.topic-prefix", prefix, "hookline.dispatcher-warm-up", BUDGET.toMillis() + "ms"))) {
        // The warm-up is over once the dispatcher has started: whatever it sent or wrote would be there by now.
        assertThat(receiver.requests()).isEmpty();
        assertThat(endOffsets(hookline.admin, outputTopics(topics))).allSatisfy((topic, end) -> assertThat(end)
            .as("records in %s", topic).isZero());

        hookline.publishJson(0, "{\"portal\":\"" + portal + "\",\"event\":\"" + DispatcherWarmUp.EVENT
            + "\",\"payload\":{\"real\":true}}");

        assertThat(receiver.awaitRequests("/real", 1, Duration.ofSeconds(30)).get(0).bodyText()).contains("\"real\":true");
        Attempt attempt = hookline.attempts.awaitOne(a -> a.getWebhookId().equals(real.getId()), Duration.ofSeconds(30));
        assertThat(hookline.attempts.values()).containsExactly(attempt);
        assertThat(receiver.requests()).hasSize(1);
        PrometheusMeterRegistry registry = hookline.context.getBean(PrometheusMeterRegistry.class);
        assertThat(registry.find("hookline.delivery.attempts").counters().stream().mapToDouble(Counter::count).sum())
            .isEqualTo(1.0);
      }
    }
  }

  @Test
  void zeroTurnsItOff() {
    DispatcherSettings s = settings(KafkaBroker.uniquePrefix(), Duration.ZERO);

    Optional<DispatcherWarmUp.Report> report = DispatcherWarmUp.start(s, new HooklineTopics(s.topics(), s.retrySchedule()),
        SecretCipher.fromBase64Key(RunningDispatcher.SECRETS_KEY, "test"), EventValidation.NONE,
        new MicrometerDeliveryMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false)).awaitDone();

    assertThat(report).isEmpty();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("dispatcher-warm-up"));
  }

  private static DispatcherSettings settings(String prefix, Duration warmUp) {
    return new DispatcherSettings(KAFKA.bootstrapServers(), TopicSettings.defaults().withPrefix(prefix).withPartitions(3),
        RetrySchedule.parse("1s,1s,1s"), DELIVERY_TIMEOUT, 512, 8, 10_000, "warm-up-" + UUID.randomUUID(), 4096,
        Duration.ofMillis(150), false, RunningDispatcher.SECRETS_KEY, 5, Duration.ofSeconds(30), 100, null,
        Duration.ofHours(1), warmUp);
  }

  /** Writes a webhook subscribed to the synthetic events' name in {@code portal}, as the API would, before any dispatcher runs. */
  private static Webhook storeWebhook(HooklineTopics topics, String portal, String url) throws Exception {
    long now = System.currentTimeMillis();
    Webhook w = Webhook.newBuilder().setId("wh_" + UUID.randomUUID()).setPortal(portal).setUrl(url)
        .setEvents(List.of(DispatcherWarmUp.EVENT, "*")).setEnabled(true)
        .setSecrets(List.of(new SigningSecret(RunningDispatcher.newSecret(), now, null)))
        .setCreatedAt(now).setUpdatedAt(now).build();
    var t = topics.webhooks();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KAFKA.broker().clientProps(), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(t.name(), w.getId().getBytes(StandardCharsets.UTF_8),
          t.valueSerde().serializer().serialize(t.name(), w))).get();
    }
    return w;
  }

  /** Every topic the dispatcher writes. */
  private static List<String> outputTopics(HooklineTopics topics) {
    List<String> names = new ArrayList<>(List.of(topics.attempts().name(), topics.deadLetter().name(),
        topics.eventsInvalid().name(), topics.operational().name(), topics.parked().name(), topics.ordered().name()));
    topics.delayedTopics().forEach(t -> names.add(t.name()));
    return names;
  }

  /** The sum of the end offsets of each topic's partitions. */
  private static Map<String, Long> endOffsets(Admin admin, List<String> topics) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
    admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
        .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    return admin.listOffsets(request).all().get().entrySet().stream().collect(Collectors.groupingBy(
        e -> e.getKey().topic(), Collectors.summingLong(e -> e.getValue().offset())));
  }
}
