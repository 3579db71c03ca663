package io.hookline.bench;

import io.hookline.avro.RetryRequest;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.bench.delivery.ChildJvm;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.DurationText;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The light-load retry scenario, black-box: the dispatcher and the retry-scheduler each in a JVM of
 * its own, as users run them (configured only by {@code HOOKLINE_*} variables), a real HTTP receiver
 * that answers 500 to the first attempt of every execution and 200 to the next. Events are published
 * at a low fixed rate; each execution's lateness is taken at the receiver: the time its retry POST
 * arrived minus (the time its failed POST arrived + the retry delay).
 *
 * <p>A passive {@code read_committed} reader of the redeliveries topic (its own, short fetch wait)
 * splits that lateness into stages: the dispatcher stamping {@code due_at}, the scheduler sending
 * the record (ahead of {@code due_at} by its release lead), its transaction becoming readable, and
 * the dispatcher starting the attempt once the record is read and due.
 */
final class LightRetryRun {

  static final long P99_TARGET_MS = 50;
  private static final String EVENT = "bench.retry";
  private static final String MEASURED = "\"phase\":\"measured\"";

  /** One execution as the receiver saw it; times in epoch microseconds. */
  private static final class Execution {
    final AtomicInteger requests = new AtomicInteger();
    volatile boolean measured;
    volatile long failedUs;
    volatile long retriedUs;
  }

  private final KafkaBroker broker;
  private final LightRetrySettings settings;
  private final int partitions;
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final Map<String, RedeliveryTimes.Seen> seen = new ConcurrentHashMap<>();
  private volatile CountDownLatch warmupRetried;
  private volatile CountDownLatch measuredRetried;

  LightRetryRun(KafkaBroker broker, LightRetrySettings settings, int partitions) {
    this.broker = broker;
    this.settings = settings;
    this.partitions = partitions;
  }

  LightRetryResult run() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "bench" + id + ".light.";
    String delays = DurationText.format(settings.delay());
    HooklineTopics topics = new HooklineTopics(
        new TopicSettings(prefix, partitions, (short) 1, TopicSettings.DEFAULT_RETENTION), RetrySchedule.parse(delays));
    broker.createTopics(topics);
    broker.awaitLeaders(List.of(topics.webhooks().name(), topics.events().name(), topics.redeliveries().name(),
        topics.retry(settings.delay()).name()), Duration.ofSeconds(60));
    String secretsKey = SecretCipher.generateBase64Key();
    warmupRetried = new CountDownLatch(settings.warmup());
    measuredRetried = new CountDownLatch(settings.retries());
    double loadBefore = LoadAverage.oneMinute();
    try (WebhookReceiver receiver = WebhookReceiver.start();
         RedeliveryTimes watcher = RedeliveryTimes.start(broker.bootstrapServers(), topics.redeliveries(), seen)) {
      for (int w = 0; w < settings.webhooks(); w++) {
        receiver.respond("/light/" + w, this::answer);
      }
      writeWebhooks(topics, receiver, secretsKey);
      Map<String, String> env = new HashMap<>();
      env.put("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
      env.put("HOOKLINE_TOPIC_PREFIX", prefix);
      env.put("HOOKLINE_TOPIC_PARTITIONS", Integer.toString(partitions));
      env.put("HOOKLINE_RETRY_DELAYS", delays);
      env.put("HOOKLINE_MANAGEMENT_PORT", "0");
      env.put("HOOKLINE_SECRETS_KEY", secretsKey);
      env.put("HOOKLINE_ALLOW_PRIVATE_TARGETS", "true"); // the receiver listens on 127.0.0.1
      env.put("HOOKLINE_DISPATCHER_GROUP_ID", "bench" + id + "-dispatcher");
      env.put("HOOKLINE_SCHEDULER_GROUP_ID", "bench" + id + "-scheduler");
      env.put("HOOKLINE_SCHEDULER_TRANSACTIONAL_ID", "bench" + id + "-scheduler");
      String classpath = System.getProperty("java.class.path");
      Path dir = workDir();
      List<String> opts = childOptions();
      try (ChildJvm scheduler = ChildJvm.start("light-retry-scheduler", dir,
               ChildJvm.serviceClasspath("hookline-retry-scheduler", classpath), "512m", opts,
               "io.hookline.retryscheduler.RetrySchedulerApplication", List.of(), env);
           ChildJvm dispatcher = ChildJvm.start("light-dispatcher", dir,
               ChildJvm.dispatcherClasspath(dir.getParent(), classpath), "512m", opts,
               "io.hookline.dispatcher.DispatcherApplication", List.of(), env);
           KafkaProducer<byte[], byte[]> producer = producer()) {
        List<ChildJvm> services = List.of(scheduler, dispatcher);
        Progress.log("Light load: dispatcher and retry-scheduler starting (logs in %s)", dir);
        if (settings.warmup() > 0) {
          Progress.log("Light load: warm-up, %,d executions at %d/s (not measured)", settings.warmup(), settings.rate());
          publish(producer, topics, settings.warmup(), "warmup");
          await(warmupRetried, "warm-up", Duration.ofMinutes(3), services);
        }
        Progress.log("Light load: %,d executions at %d/s, each retried after %s", settings.retries(), settings.rate(),
            delays);
        publish(producer, topics, settings.retries(), "measured");
        Duration publishing = Duration.ofMillis(1000L * settings.retries() / settings.rate());
        await(measuredRetried, "measured", publishing.plus(settings.delay()).plusSeconds(120), services);
      }
    }
    return result(loadBefore, LoadAverage.oneMinute());
  }

  /** 500 to an execution's first POST, 200 to every later one; each arrival is timed. */
  private WebhookReceiver.Behavior answer(WebhookReceiver.Request request) {
    String executionId = request.header("webhook-id");
    Execution e = executions.computeIfAbsent(executionId == null ? "" : executionId, k -> new Execution());
    long at = micros(request.receivedAt());
    int n = e.requests.incrementAndGet();
    if (n == 1) {
      e.measured = request.bodyText().contains(MEASURED);
      e.failedUs = at;
      return WebhookReceiver.status(500);
    }
    if (n == 2) {
      e.retriedUs = at;
      (e.measured ? measuredRetried : warmupRetried).countDown();
    }
    return WebhookReceiver.status(200);
  }

  private static long micros(Instant t) {
    return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1_000;
  }

  /** Publishes {@code count} events at the configured rate, round-robin over the webhooks' portals. */
  private void publish(KafkaProducer<byte[], byte[]> producer, HooklineTopics topics, int count, String phase)
      throws Exception {
    long start = System.nanoTime();
    long interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long at = start + i * interval;
      long wait = at - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int w = i % settings.webhooks();
      String json = "{\"portal\":\"light" + w + "\",\"event\":\"" + EVENT + "\",\"payload\":{\"n\":" + i
          + ",\"phase\":\"" + phase + "\"}}";
      sent.add(producer.send(new ProducerRecord<>(topics.events().name(), ("light" + w).getBytes(StandardCharsets.UTF_8),
          json.getBytes(StandardCharsets.UTF_8))));
    }
    for (var s : sent) {
      s.get(1, TimeUnit.MINUTES);
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** One webhook per portal, subscribed to the scenario's event, its secret encrypted as the API stores it. */
  private void writeWebhooks(HooklineTopics topics, WebhookReceiver receiver, String secretsKey) throws Exception {
    SecretCipher cipher = SecretCipher.fromBase64Key(secretsKey, "bench");
    Topic<String, Webhook> t = topics.webhooks();
    long now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int w = 0; w < settings.webhooks(); w++) {
        String webhookId = "light-" + w;
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
        Webhook webhook = Webhook.newBuilder().setId(webhookId).setPortal("light" + w)
            .setUrl(receiver.url("/light/" + w)).setEvents(List.of(EVENT)).setEnabled(true)
            .setSecrets(List.of(new SigningSecret(cipher.encrypt(secret, webhookId), now, null)))
            .setCreatedAt(now).setUpdatedAt(now).build();
        sent.add(p.send(new ProducerRecord<>(t.name(), t.keySerde().serializer().serialize(t.name(), webhookId),
            t.valueSerde().serializer().serialize(t.name(), webhook))));
      }
      for (var s : sent) {
        s.get(1, TimeUnit.MINUTES);
      }
    }
  }

  private static void await(CountDownLatch retried, String phase, Duration timeout, List<ChildJvm> services)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!retried.await(5, TimeUnit.SECONDS)) {
      for (ChildJvm service : services) {
        if (!service.alive()) {
          throw new IllegalStateException("Light load: a service stopped during the " + phase + " phase:\n"
              + service.tail(30));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Light load: " + retried.getCount() + " executions of the " + phase
            + " phase were not retried within " + timeout.toSeconds() + " s");
      }
      Progress.log("Light load: %s phase, %,d retries still to arrive", phase, retried.getCount());
    }
  }

  private LightRetryResult result(double loadBefore, double loadAfter) {
    long delayUs = settings.delay().toNanos() / 1_000;
    List<long[]> rows = new ArrayList<>();
    long duplicates = 0;
    int withoutStages = 0;
    for (Map.Entry<String, Execution> entry : executions.entrySet()) {
      Execution e = entry.getValue();
      duplicates += Math.max(0, e.requests.get() - 2);
      if (!e.measured) {
        continue;
      }
      long lateness = e.retriedUs - e.failedUs - delayUs;
      RedeliveryTimes.Seen s = seen.get(entry.getKey());
      if (s == null) {
        withoutStages++;
        rows.add(new long[] {lateness});
        continue;
      }
      long dueUs = s.dueAtMs() * 1_000;
      long sentUs = s.sentMs() * 1_000;
      rows.add(new long[] {lateness, dueUs - delayUs - e.failedUs, sentUs - dueUs, s.readUs() - sentUs,
          Math.max(0, s.readUs() - dueUs), e.retriedUs - Math.max(s.readUs(), dueUs)});
    }
    return new LightRetryResult(settings, rows, duplicates, withoutStages, loadBefore, loadAfter);
  }

  private static List<String> childOptions() {
    String extra = System.getenv("BENCH_CHILD_OPTS");
    return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
  }

  /** benchmarks/target/retry-bench: the services' logs. */
  private static Path workDir() throws java.io.IOException {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (Path.of(entry).getFileName().toString().startsWith("hookline-benchmarks-")) {
        Path dir = Path.of(entry).toAbsolutePath().getParent().resolve("retry-bench");
        Files.createDirectories(dir);
        return dir;
      }
    }
    Path dir = Path.of("target", "retry-bench").toAbsolutePath();
    Files.createDirectories(dir);
    return dir;
  }
}
