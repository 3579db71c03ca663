package io.hookline.bench.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs a contender's phases: produces each phase's events (except for the ceiling, which loads
 * itself), waits for their deliveries at the receiver, and measures throughput, latency and CPU per
 * delivery. A phase ends when every expected event arrived, when nothing arrived for {@link #STALL},
 * or at its bound.
 */
final class PhaseDriver {

  /** A phase whose deliveries stopped arriving for this long is over. */
  static final Duration STALL = Duration.ofSeconds(15);

  private final Contender contender;
  private final DeliverySettings settings;
  private final ChildJvm child;
  private final ArrivalRecorder recorder;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> bursts;
  private final KafkaProducer<byte[], byte[]> paced;
  private final EventShape shape;

  /** @param topic the input topic, null when the contender loads itself (the ceiling) */
  PhaseDriver(Contender contender, DeliverySettings settings, ChildJvm child, ArrivalRecorder recorder, String topic,
      KafkaProducer<byte[], byte[]> bursts, KafkaProducer<byte[], byte[]> paced) {
    this.contender = contender;
    this.settings = settings;
    this.child = child;
    this.recorder = recorder;
    this.topic = topic;
    this.bursts = bursts;
    this.paced = paced;
    this.shape = settings.eventShape();
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
    return r.withP99PerSecond(recorder.p99PerBlock(from, from + count, filter, settings.rate()));
  }

  private long[] cpuAtStart;
  private Map<String, Long> requestsAtStart = Map.of();

  /** CPU time so far of the contender's JVM and of this one (broker, receiver, producers), in ns; -1 unknown. */
  private long[] cpuNow() {
    return new long[] {child.cpuNanos(), ChildJvm.benchCpuNanos()};
  }

  private ProducerRecord<byte[], byte[]> record(int seq) {
    return BenchEvents.record(topic, seq, settings.webhookOf(seq), shape);
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
        expected += settings.fanout();
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
