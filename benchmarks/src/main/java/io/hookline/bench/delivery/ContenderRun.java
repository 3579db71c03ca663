package io.hookline.bench.delivery;

import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

  /** Everything measured for one contender. */
  record Result(Contender contender, PhaseResult burst, PhaseResult latency, PhaseResult isolationBurst,
      PhaseResult isolationLatency, ChildJvm.Memory memory, ChildJvm.Memory memoryAtEnd, String notes,
      PhaseResult pacedWarmup) {}

  private final Contender contender;
  private final String tag;
  private final DeliverySettings settings;
  private final KafkaBroker broker;
  private final BenchReceiver receiver;
  private final ContenderKafka kafka;
  private final ContenderLauncher launcher;

  /** @param tag the contender's receiver path and log name */
  ContenderRun(Contender contender, String tag, DeliverySettings settings, KafkaBroker broker, BenchReceiver receiver,
      Path dir, String classpath, List<String> jvmOptions) {
    this.contender = contender;
    this.tag = tag;
    this.settings = settings;
    this.broker = broker;
    this.receiver = receiver;
    String id = UUID.randomUUID().toString().substring(0, 8);
    ContenderSetup setup = new ContenderSetup(contender, tag, id, settings, broker, receiver);
    this.kafka = new ContenderKafka(setup);
    this.launcher = new ContenderLauncher(setup, kafka, dir, classpath, jvmOptions);
  }

  /**
   * Creates the contender's topics (and Hookline's webhooks) ahead of its run; see
   * {@link ContenderKafka#prepare}.
   */
  void prepare() throws Exception {
    kafka.prepare();
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
    ArrivalRecorder recorder = new ArrivalRecorder(total, settings.portals(), settings.fanout());
    receiver.register(tag, recorder);
    String topic = kafka.prepare();
    long connectionsBefore = receiver.accepted();
    try (ChildJvm child = launcher.start(topic);
         KafkaProducer<byte[], byte[]> bursts = producer(10, 256 * 1024);
         KafkaProducer<byte[], byte[]> paced = producer(0, 16 * 1024)) {
      BenchLog.log("%s: started (pid %d, log %s)", contender.label, child.pid(), child.log);
      PhaseDriver phases = new PhaseDriver(contender, settings, child, recorder, topic, bursts, paced);
      int seq = 0;
      phases.burst("warm-up", seq, warm, ALL, Duration.ofMinutes(5));
      seq += warm;
      PhaseResult burst = null;
      PhaseResult latency = null;
      PhaseResult pacedWarmup = null;
      if (throughput) {
        burst = phases.burst("throughput", seq, n, ALL, Duration.ofMinutes(5));
        seq += n;
        pacedWarmup = phases.paced("paced warm-up", seq, pacedWarm, ALL, Duration.ofSeconds(60));
        seq += pacedWarm;
        latency = phases.paced("latency", seq, lat, ALL, Duration.ofSeconds(60));
        seq += lat;
      }
      ChildJvm.Memory memory = child.memory();
      String notes = contender == Contender.HOOKLINE ? kafka.attemptsNote(warm + (throughput ? n + pacedWarm + lat : 0)) : "";
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
      return new Result(contender, burst, latency, isoBurst, isoLatency, memory, end, notes.trim(), pacedWarmup);
    } finally {
      receiver.release(tag);
    }
  }

  /**
   * What the warm-up scenario measured for one contender: its fixed-rate phase from a cold JVM, the
   * p50 and p99 of each second's events from the first one, and how long the contender took from
   * its JVM's launch until its consumer group had every input partition (null for the ceiling,
   * which starts POSTing as soon as its JVM runs).
   */
  record WarmUp(Contender contender, PhaseResult paced, double[] p50PerSecond, double[] p99PerSecond,
      Duration consuming) {}

  /**
   * The warm-up scenario: a JVM started for it, no warm-up burst, {@code rate} events/s for the
   * scenario's duration from the moment it consumes its input (the ceiling: from its start).
   */
  WarmUp runWarmUp() throws Exception {
    int events = settings.coldEvents();
    ArrivalRecorder recorder = new ArrivalRecorder(events, settings.portals(), settings.fanout());
    receiver.register(tag, recorder);
    String topic = kafka.prepare();
    try (KafkaProducer<byte[], byte[]> paced = producer(0, 16 * 1024)) {
      if (topic != null) {
        paced.partitionsFor(topic); // the benchmark's producer has its metadata and connection before the clock starts
      }
      try (ChildJvm child = launcher.startCold(topic, events)) {
        BenchLog.log("%s: started cold (pid %d, log %s)", contender.label, child.pid(), child.log);
        Duration consuming = topic == null ? null : kafka.awaitConsuming(topic, child, Duration.ofMinutes(2));
        if (consuming != null) {
          BenchLog.log("%s: consuming %s %,d ms after its launch", contender.label, topic, consuming.toMillis());
        }
        PhaseDriver phases = new PhaseDriver(contender, settings, child, recorder, topic, null, paced);
        PhaseResult r = phases.paced("cold start", 0, events, ALL, settings.warmupDuration().plusSeconds(60));
        double[] p50 = recorder.percentilePerBlock(0, events, ALL, settings.rate(), 50);
        child.stop(15);
        return new WarmUp(contender, r, p50, r.p99PerSecond(), consuming);
      }
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
    ArrivalRecorder recorder = new ArrivalRecorder(backlog, settings.portals(), settings.fanout());
    receiver.register(tag, recorder);
    String topic = kafka.prepare();
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
    try (ChildJvm child = launcher.start(topic)) {
      BenchLog.log("Backpressure: Hookline started (pid %d, log %s)", child.pid(), child.log);
      PhaseDriver phases = new PhaseDriver(contender, settings, child, recorder, null, null, null);
      PhaseResult delivery = phases.burst("backpressure backlog", 0, backlog, ALL, bound);
      long attempts = kafka.endOffsetsSum(kafka.hooklineTopics().attempts().name());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (attempts < backlog && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        attempts = kafka.endOffsetsSum(kafka.hooklineTopics().attempts().name());
      }
      ChildJvm.Memory memory = child.memory();
      HooklineTopics topics = kafka.hooklineTopics();
      long retries = topics.retryTopics().stream().mapToLong(t -> kafka.endOffsetsSum(t.name())).sum();
      long dead = kafka.endOffsetsSum(topics.deadLetter().name());
      String outcomes = kafka.attemptOutcomes();
      child.stop(15);
      int maxQueued = Integer.parseInt(System.getenv().getOrDefault("HOOKLINE_MAX_QUEUED", "10000"));
      return new Backpressure(backlog, produceMillis, delivery, recorder.duplicates(), attempts, retries, dead,
          outcomes, memory, maxQueued);
    } finally {
      receiver.release(tag);
    }
  }

  private KafkaProducer<byte[], byte[]> producer(int lingerMs, int batchBytes) {
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
