package io.hookline.bench;

import java.time.Duration;
import java.util.Map;

/**
 * What one run of the retry lateness benchmark loads and waits for. Read from arguments
 * ({@code records=100000 delay=20s keys=1000 partitions=6}), else from the environment
 * ({@code BENCH_RECORDS}, {@code BENCH_DELAY}, {@code BENCH_KEYS}, {@code BENCH_PARTITIONS},
 * {@code BENCH_DRAIN_TIMEOUT}, {@code BENCH_ONLY}, {@code BENCH_SPRING_LOAD}, {@code BENCH_WARMUP}), else the
 * defaults: 100,000 pending retries over 1,000 webhooks on 6 partitions, due 20 s after they are
 * produced.
 *
 * @param records how many retries are pending at once
 * @param delay how long after it is produced (Hookline) or failed (Spring) each record is due
 * @param keys how many distinct webhook ids the records are keyed by
 * @param partitions partitions of every topic of the run
 * @param drainTimeout how long after the last due time a run may take to see every record
 * @param only {@code both} (default), {@code hookline} or {@code spring}: which contenders run
 * @param springLoad where Spring's load enters: {@code retry-topic} (default: straight onto its retry
 *     topic, stamped as Spring stamps a failed record, like Hookline's load onto its retry topic) or
 *     {@code main-topic} (onto the listener's topic, failed once by the listener; Spring then
 *     publishes each failure synchronously and its due times spread over that time)
 * @param warmupRecords records of a short unmeasured round each contender runs first (0: none), so
 *     that neither is measured on a cold JVM
 */
public record BenchmarkSettings(
    int records, Duration delay, int keys, int partitions, Duration drainTimeout, String only,
    String springLoad, int warmupRecords) {

  public BenchmarkSettings {
    if (records < 1 || keys < 1 || partitions < 1 || warmupRecords < 0) {
      throw new IllegalArgumentException("records, keys and partitions must be >= 1 and warmup >= 0");
    }
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be > 0, was " + delay);
    }
    if (!only.equals("both") && !only.equals("hookline") && !only.equals("spring")) {
      throw new IllegalArgumentException("only must be both, hookline or spring, was " + only);
    }
    if (!springLoad.equals("retry-topic") && !springLoad.equals("main-topic")) {
      throw new IllegalArgumentException("spring-load must be retry-topic or main-topic, was " + springLoad);
    }
  }

  public static BenchmarkSettings from(String[] args, Map<String, String> env) {
    BenchArguments given = BenchArguments.parse(args, env,
        "records, delay, keys, partitions, drain-timeout, only, spring-load, warmup");
    return new BenchmarkSettings(
        given.count("records", "BENCH_RECORDS", "100000"),
        given.duration("delay", "BENCH_DELAY", "20s"),
        given.count("keys", "BENCH_KEYS", "1000"),
        given.count("partitions", "BENCH_PARTITIONS", "6"),
        given.duration("drain-timeout", "BENCH_DRAIN_TIMEOUT", "180s"),
        given.text("only", "BENCH_ONLY", "both"),
        given.text("spring-load", "BENCH_SPRING_LOAD", "retry-topic"),
        given.count("warmup", "BENCH_WARMUP", "10000"));
  }

  /** The unmeasured warm-up round: a few records due soon, on the same keys and partitions. */
  BenchmarkSettings warmup() {
    Duration soon = delay.compareTo(Duration.ofSeconds(2)) < 0 ? delay : Duration.ofSeconds(2);
    return new BenchmarkSettings(warmupRecords, soon, keys, partitions, drainTimeout, only, springLoad, 0);
  }

  boolean runsHookline() {
    return !only.equals("spring");
  }

  boolean runsSpring() {
    return !only.equals("hookline");
  }

  /** The webhook id (and so the record key) of record {@code i}. */
  public String webhookOf(int i) {
    return "wh-" + (i % keys);
  }
}

