package io.hookline.bench.delivery;

import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.KafkaBroker;
import java.io.File;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs one contender through its phases in its own JVM, on the shared broker and receiver:
 * warm-up burst (not measured), measured burst (throughput), fixed-rate phase (latency), then with
 * one webhook in ten hanging, a burst and a fixed-rate phase again (isolation), each bounded in
 * time. For the Kafka contenders the benchmark produces each phase's events to the contender's
 * input topic; the ceiling produces nothing and POSTs the same events from memory.
 */
final class ContenderRun {

  static final IntPredicate ALL = w -> true;
  static final IntPredicate HEALTHY = w -> !DeliverySettings.hangsInIsolation(w);
  /** A phase whose deliveries stopped arriving for this long is over. */
  static final Duration STALL = Duration.ofSeconds(15);

  /** Everything measured for one contender. */
  record Result(Contender contender, PhaseResult burst, PhaseResult latency, PhaseResult isolationBurst,
      PhaseResult isolationLatency, ChildJvm.Memory memory, ChildJvm.Memory memoryAtEnd, String notes) {}

  private final Contender contender;
  private final String tag;
  private final DeliverySettings settings;
  private final KafkaBroker broker;
  private final BenchReceiver receiver;
  private final Path dir;
  private final String classpath;
  private final List<String> jvmOptions;
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  /** @param tag the contender's receiver path and log name */
  ContenderRun(Contender contender, String tag, DeliverySettings settings, KafkaBroker broker, BenchReceiver receiver,
      Path dir, String classpath, List<String> jvmOptions) {
    this.contender = contender;
    this.tag = tag;
    this.settings = settings;
    this.broker = broker;
    this.receiver = receiver;
    this.dir = dir;
    this.classpath = classpath;
    this.jvmOptions = jvmOptions;
  }

  Result run() throws Exception {
    boolean throughput = settings.runs("throughput");
    boolean isolation = settings.runs("isolation") && contender != Contender.CEILING;
    int warm = settings.warmup();
    int n = settings.events();
    int lat = settings.latencyEvents();
    int pacedWarm = settings.pacedWarmupEvents();
    int iso = settings.isolationEvents();
    int total = warm + (throughput ? n + pacedWarm + lat : 0) + (isolation ? iso + lat : 0);
    ArrivalRecorder recorder = new ArrivalRecorder(total, settings.webhooks());
    receiver.register(tag, recorder);
    String topic = prepare();
    long connectionsBefore = receiver.accepted();
    try (ChildJvm child = startChild(tag, topic);
         KafkaProducer<byte[], byte[]> bursts = producer(10, 256 * 1024);
         KafkaProducer<byte[], byte[]> paced = producer(0, 16 * 1024)) {
      BenchLog.log("%s: started (pid %d, log %s)", contender.label, child.pid(), child.log);
      Phases phases = new Phases(child, recorder, topic, bursts, paced);
      int seq = 0;
      phases.burst("warm-up", seq, warm, ALL, Duration.ofMinutes(5));
      seq += warm;
      PhaseResult burst = null;
      PhaseResult latency = null;
      if (throughput) {
        burst = phases.burst("throughput", seq, n, ALL, Duration.ofMinutes(5));
        seq += n;
        phases.paced("paced warm-up", seq, pacedWarm, ALL, Duration.ofSeconds(60));
        seq += pacedWarm;
        latency = phases.paced("latency", seq, lat, ALL, Duration.ofSeconds(60));
        seq += lat;
      }
      ChildJvm.Memory memory = child.memory();
      String notes = contender == Contender.HOOKLINE ? attemptsNote(warm + (throughput ? n + pacedWarm + lat : 0)) : "";
      PhaseResult isoBurst = null;
      PhaseResult isoLatency = null;
      if (isolation) {
        recorder.isolate();
        // Long enough for the healthy 90% at the contender's own all-healthy rate, plus the bound.
        Duration bound = settings.isolationTimeout();
        if (burst != null && burst.perSecond() > 0) {
          long needed = (long) (1.5 * iso * 0.9 / burst.perSecond() * 1000);
          bound = bound.plusMillis(Math.min(needed, Duration.ofMinutes(3).toMillis()));
        }
        isoBurst = phases.burst("isolation throughput", seq, iso, HEALTHY, bound);
        seq += iso;
        isoLatency = phases.paced("isolation latency", seq, lat, HEALTHY, settings.isolationTimeout());
      }
      ChildJvm.Memory end = child.memory();
      if (recorder.duplicates() > 0 || recorder.unknown() > 0) {
        notes += String.format(" %d duplicate and %d unknown deliveries.", recorder.duplicates(), recorder.unknown());
      }
      child.stop(15);
      BenchLog.log("%s: the receiver accepted %,d connections from it", contender.label, receiver.accepted() - connectionsBefore);
      return new Result(contender, burst, latency, isoBurst, isoLatency, memory, end, notes.trim());
    } finally {
      receiver.release(tag);
    }
  }

  /** What the backpressure scenario measured. */
  record Backpressure(int backlog, long produceMillis, PhaseResult delivery, long duplicates, long attempts,
      long retriesScheduled, long deadLettered, String outcomes, ChildJvm.Memory memory, int maxQueued) {

    /** Every event either reached the receiver or has a retry (or failed execution) on record. */
    boolean nothingLost() {
      return delivery.arrived() + retriesScheduled + deadLettered >= backlog && attempts >= backlog;
    }
  }

  /**
   * The backpressure scenario (Hookline only): the whole backlog is in the input topic before the
   * dispatcher starts; it must deliver every event exactly once (duplicates are counted) and write
   * an attempt for each, with its heap sampled throughout.
   */
  Backpressure runBackpressure(Duration bound) throws Exception {
    int backlog = settings.backlog();
    ArrivalRecorder recorder = new ArrivalRecorder(backlog, settings.webhooks());
    receiver.register(tag, recorder);
    String topic = prepare();
    long producing = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = producer(20, 512 * 1024)) {
      for (int seq = 0; seq < backlog; seq++) {
        p.send(BenchEvents.record(topic, seq, settings.webhookOf(seq)));
      }
      p.flush();
    }
    long produceMillis = (System.nanoTime() - producing) / 1_000_000;
    BenchLog.log("Backpressure: %,d events in %s before the dispatcher starts (%,d ms to produce)", backlog, topic,
        produceMillis);
    try (ChildJvm child = startChild(tag, topic)) {
      BenchLog.log("Backpressure: Hookline started (pid %d, log %s)", child.pid(), child.log);
      Phases phases = new Phases(child, recorder, null, null, null);
      PhaseResult delivery = phases.burst("backpressure backlog", 0, backlog, ALL, bound);
      long attempts = endOffsetsSum(hooklineTopics().attempts().name());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (attempts < backlog && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        attempts = endOffsetsSum(hooklineTopics().attempts().name());
      }
      ChildJvm.Memory memory = child.memory();
      HooklineTopics topics = hooklineTopics();
      long retries = topics.retryTopics().stream().mapToLong(t -> endOffsetsSum(t.name())).sum();
      long dead = endOffsetsSum(topics.deadLetter().name());
      String outcomes = attemptOutcomes();
      child.stop(15);
      int maxQueued = Integer.parseInt(System.getenv().getOrDefault("HOOKLINE_MAX_QUEUED", "10000"));
      return new Backpressure(backlog, produceMillis, delivery, recorder.duplicates(), attempts, retries, dead,
          outcomes, memory, maxQueued);
    } finally {
      receiver.release(tag);
    }
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
    switch (contender) {
      case CEILING:
        return null;
      case HOOKLINE:
        HooklineTopics topics = hooklineTopics();
        broker.createTopics(topics);
        awaitLeaders(broker, settings.partitions(), List.of(topics.webhooks().name(), topics.events().name(), topics.attempts().name()));
        writeWebhooks(topics);
        return topics.events().name();
      default:
        String name = "bench" + id + "." + contender.id + ".events";
        try (Admin admin = broker.admin()) {
          admin.createTopics(List.of(new NewTopic(name, settings.partitions(), (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        awaitLeaders(broker, settings.partitions(), List.of(name));
        return name;
    }
  }

  /**
   * Waits until every partition of freshly created topics has a leader: producing before that
   * gets NOT_LEADER errors, and an idempotent producer then loops on out-of-order sequences.
   */
  static void awaitLeaders(KafkaBroker broker, int partitions, List<String> names) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Admin admin = broker.admin()) {
      while (true) {
        boolean ready = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
            .allMatch(d -> d.partitions().size() == partitions
                && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (ready) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Topics " + names + " have no leader after 60 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  private HooklineTopics hooklineTopics() {
    return new HooklineTopics(
        new TopicSettings(prefix(), settings.partitions(), (short) 1, TopicSettings.DEFAULT_RETENTION),
        RetrySchedule.parse(System.getenv().getOrDefault("HOOKLINE_RETRY_DELAYS", "60s,60s,60s")));
  }

  private String prefix() {
    return "bench" + id + ".hookline.";
  }

  private final String secretsKey = SecretCipher.generateBase64Key();

  /** One webhook per portal, subscribed to the benchmark's event, its secret encrypted as the API stores it. */
  private void writeWebhooks(HooklineTopics topics) throws Exception {
    SecretCipher cipher = SecretCipher.fromBase64Key(secretsKey, "bench");
    Topic<String, Webhook> t = topics.webhooks();
    SecureRandom random = new SecureRandom();
    long now = System.currentTimeMillis();
    // Not idempotent: right after the topic is created the broker may answer NOT_LEADER for a batch
    // it did write, and the idempotent retry then loops on OUT_OF_ORDER_SEQUENCE until the delivery
    // timeout (2 min). A webhook written twice is harmless on the compacted topic.
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int w = 0; w < settings.webhooks(); w++) {
        String webhookId = "wh-" + w;
        byte[] key = new byte[24];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Webhook webhook = Webhook.newBuilder().setId(webhookId).setPortal(BenchEvents.portal(w))
            .setUrl(receiver.url(tag, w)).setEvents(List.of(BenchEvents.EVENT_NAME)).setEnabled(true)
            .setSecrets(List.of(new SigningSecret(cipher.encrypt(secret, webhookId), now, null)))
            .setCreatedAt(now).setUpdatedAt(now).build();
        sent.add(p.send(new ProducerRecord<>(t.name(), t.keySerde().serializer().serialize(t.name(), webhookId),
            t.valueSerde().serializer().serialize(t.name(), webhook))));
      }
      for (var s : sent) {
        s.get(2, TimeUnit.MINUTES); // a webhook missing would silently drop its events (no subscriber)
      }
    }
  }

  private ChildJvm startChild(String tag, String topic) throws Exception {
    List<String> opts = new ArrayList<>(jvmOptions);
    Map<String, String> env = new HashMap<>();
    String group = "bench" + id + "-" + tag;
    switch (contender) {
      case CEILING:
        // The JDK client hands every response of sendAsync to CompletableFuture's default pool; with
        // fewer than 3 cores that "pool" starts a new thread per response (ForkJoinPool common
        // parallelism 1). The ceiling is what the client can do at best on this machine, so it runs
        // with a real common pool; Hookline runs as shipped (BENCH_HOOKLINE_OPTS to change that).
        opts.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism="
            + Math.max(2, Runtime.getRuntime().availableProcessors()));
        return ChildJvm.start(tag, dir, classpath, settings.childXmx(), opts, CeilingClient.class.getName(),
            List.of(receiver.baseUrl(), tag, str(settings.webhooks()), str(settings.maxInFlight()), str(settings.warmup()),
                str(settings.runs("throughput") ? settings.events() : 0), str(settings.rate()),
                str(settings.runs("throughput") ? settings.pacedWarmupEvents() + settings.latencyEvents() : 0)), env);
      case HOOKLINE:
        env.put("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("HOOKLINE_TOPIC_PREFIX", prefix());
        env.put("HOOKLINE_TOPIC_PARTITIONS", str(settings.partitions()));
        env.put("HOOKLINE_DISPATCHER_GROUP_ID", group);
        env.put("HOOKLINE_ALLOW_PRIVATE_TARGETS", "true"); // the receiver listens on 127.0.0.1
        env.put("HOOKLINE_SECRETS_KEY", secretsKey);
        if (System.getenv("HOOKLINE_MAX_IN_FLIGHT") == null) {
          env.put("HOOKLINE_MAX_IN_FLIGHT", str(settings.maxInFlight()));
        }
        String hooklineOpts = System.getenv("BENCH_HOOKLINE_OPTS");
        if (hooklineOpts != null && !hooklineOpts.isBlank()) {
          opts.addAll(List.of(hooklineOpts.trim().split("\\s+")));
        }
        if (settings.profile()) {
          opts.add("-XX:StartFlightRecording=filename=" + dir.resolve(tag + ".jfr").toAbsolutePath()
              + ",settings=profile,dumponexit=true");
        }
        // The dispatcher's own runtime classpath (as the local run starts it) plus the benchmarks jar
        // for HooklineChild: no other service's beans or application.yml.
        return ChildJvm.start(tag, dir, ChildJvm.dispatcherClasspath(dir.getParent(), classpath),
            settings.childXmx(), opts, HooklineChild.class.getName(), List.of(), env);
      case PARALLEL_CONSUMER:
        String pcClasspath = ChildJvm.classpathWithout(classpath, "kafka-clients-4") + File.pathSeparator
            + dir.getParent().resolve("parallel-consumer-kafka-clients").resolve("*");
        return ChildJvm.start(tag, dir, pcClasspath, settings.childXmx(), opts, ParallelConsumerPeer.class.getName(),
            List.of(broker.bootstrapServers(), topic, group, receiver.baseUrl(), tag, str(settings.maxInFlight())), env);
      default:
        return ChildJvm.start(tag, dir, classpath, settings.childXmx(), opts, PlainConsumerPeer.class.getName(),
            List.of(broker.bootstrapServers(), topic, group, receiver.baseUrl(), tag), env);
    }
  }

  /** How many attempt records Hookline wrote (it writes one per delivery, before committing). */
  private String attemptsNote(int expected) {
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
  private String attemptOutcomes() {
    Topic<String, io.hookline.avro.Attempt> topic = hooklineTopics().attempts();
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, Long> byOutcome = new java.util.TreeMap<>();
    try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
             new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                 new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                 new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
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
          io.hookline.avro.Attempt a = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
          String key = a.getStatus() + (a.getErrorCode() == null ? "" : "/" + a.getErrorCode());
          byOutcome.merge(key, 1L, Long::sum);
        }
      }
    } catch (RuntimeException e) {
      return "attempts not read: " + e.getMessage();
    }
    return byOutcome.toString();
  }

  long endOffsetsSum(String topic) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < settings.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try (Admin admin = broker.admin()) {
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  KafkaProducer<byte[], byte[]> producer(int lingerMs, int batchBytes) {
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String str(int i) {
    return Integer.toString(i);
  }

  /** Produces each phase (except for the ceiling, which loads itself) and waits for its deliveries. */
  private final class Phases {
    private final ChildJvm child;
    private final ArrivalRecorder recorder;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> bursts;
    private final KafkaProducer<byte[], byte[]> paced;

    Phases(ChildJvm child, ArrivalRecorder recorder, String topic, KafkaProducer<byte[], byte[]> bursts,
        KafkaProducer<byte[], byte[]> paced) {
      this.child = child;
      this.recorder = recorder;
      this.topic = topic;
      this.bursts = bursts;
      this.paced = paced;
    }

    PhaseResult burst(String name, int from, int count, IntPredicate filter, Duration bound) throws Exception {
      long start = System.nanoTime();
      cpuAtStart = cpuNow();
      requestsAtStart = BrokerRequests.snapshot();
      if (topic != null) {
        for (int seq = from; seq < from + count; seq++) {
          bursts.send(record(seq));
        }
        bursts.flush();
        BenchLog.log("%s: %s: %,d events produced in %,d ms", contender.label, name, count,
            (System.nanoTime() - start) / 1_000_000);
      }
      return await(name, from, count, filter, start, bound);
    }

    PhaseResult paced(String name, int from, int count, IntPredicate filter, Duration bound) throws Exception {
      long start = System.nanoTime();
      cpuAtStart = cpuNow();
      requestsAtStart = BrokerRequests.snapshot();
      if (topic != null) {
        long interval = 1_000_000_000L / settings.rate();
        for (int i = 0; i < count; i++) {
          long due = start + i * interval;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          paced.send(record(from + i));
        }
        BenchLog.log("%s: %s: %,d events produced at %,d/s", contender.label, name, count, settings.rate());
      }
      PhaseResult r = await(name, from, count, filter, start, bound);
      BenchLog.log("%s: %s: p99 ms of each second's events: %s", contender.label, name,
          recorder.p99ByBlock(from, from + count, filter, settings.rate()));
      return r;
    }

    private long[] cpuAtStart;
    private Map<String, Long> requestsAtStart = Map.of();

    /** CPU time so far of the contender's JVM and of this one (broker, receiver, producers), in ns; -1 unknown. */
    private long[] cpuNow() {
      return new long[] {child.cpuNanos(), ChildJvm.benchCpuNanos()};
    }

    private ProducerRecord<byte[], byte[]> record(int seq) {
      return BenchEvents.record(topic, seq, settings.webhookOf(seq));
    }

    /**
     * Waits until every expected event arrived, or nothing arrived for {@link #STALL} (the rest
     * failed or hangs: e.g. attempts that timed out wait for a retry the run does not include), or
     * the phase's bound passed.
     */
    private PhaseResult await(String name, int from, int count, IntPredicate filter, long start, Duration bound) {
      int expected = 0;
      for (int seq = from; seq < from + count; seq++) {
        if (filter.test(settings.webhookOf(seq))) {
          expected++;
        }
      }
      long deadline = System.nanoTime() + bound.toNanos();
      long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int arrived = 0;
      int seen = -1;
      long lastProgress = System.nanoTime();
      boolean stalled = false;
      while (System.nanoTime() < deadline) {
        arrived = recorder.count(from, from + count, filter);
        if (arrived >= expected) {
          break;
        }
        if (arrived != seen) {
          seen = arrived;
          lastProgress = System.nanoTime();
        } else if (arrived > 0 && System.nanoTime() - lastProgress > STALL.toNanos()) {
          stalled = true;
          break;
        }
        if (!child.alive()) {
          throw new IllegalStateException(contender.label + " stopped during " + name + "; its log ends:\n" + child.tail(30));
        }
        if (System.nanoTime() > nextLog) {
          BenchLog.log("%s: %s: %,d of %,d delivered", contender.label, name, arrived, expected);
          nextLog += TimeUnit.SECONDS.toNanos(10);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      PhaseResult r = recorder.result(from, from + count, filter, start, System.nanoTime(), stalled);
      long[] cpu = cpuNow();
      if (r.arrived() > 0 && cpu[0] >= 0 && cpuAtStart[0] >= 0) {
        r = r.withCpuMicros(((cpu[0] - cpuAtStart[0]) + (cpu[1] - cpuAtStart[1])) / 1e3 / r.arrived());
        BenchLog.log("%s: %s: CPU %,d ms in the contender's JVM (%.0f us per delivery), %,d ms in the benchmark's (broker, receiver, producer: %.0f us per delivery)",
            contender.label, name, (cpu[0] - cpuAtStart[0]) / 1_000_000, (cpu[0] - cpuAtStart[0]) / 1e3 / r.arrived(),
            (cpu[1] - cpuAtStart[1]) / 1_000_000, (cpu[1] - cpuAtStart[1]) / 1e3 / r.arrived());
        BenchLog.log("%s: %s: broker requests: %s", contender.label, name,
            BrokerRequests.difference(requestsAtStart, BrokerRequests.snapshot()));
      }
      BenchLog.log("%s: %s: %,d of %,d delivered, %,.0f/s, p50 %.1f ms, p99 %.1f ms%s", contender.label, name,
          r.arrived(), r.expected(), r.perSecond(), r.latencyMs(50), r.latencyMs(99),
          r.complete() ? "" : stalled ? " (stalled: nothing more arrived for " + STALL.toSeconds() + " s)"
              : " (bounded: stopped waiting after " + bound.toSeconds() + " s)");
      return r;
    }
  }
}
