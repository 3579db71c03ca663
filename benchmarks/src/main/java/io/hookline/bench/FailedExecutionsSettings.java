package io.hookline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one run of the failed-executions benchmark loads and measures. Read from arguments
 * ({@code records=1000000 webhooks=10000 queries=5000}), else from the environment
 * ({@code BENCH_RECORDS}, {@code BENCH_WEBHOOKS}, ...), else the defaults: 1,000,000 failed executions
 * over 10,000 webhooks on 6 partitions.
 *
 * @param records failed executions written to the dead-letter topic
 * @param webhooks webhooks they are spread over (each gets records / webhooks of them)
 * @param partitions partitions of every topic of the run
 * @param queries measured page queries per concurrency level (each paired with one baseline request)
 * @param warmup unmeasured queries before the first measured round
 * @param concurrency the concurrency levels measured, e.g. {@code 1,4}
 * @param forwarding {@code on} (default): a second query-api instance runs with the same application
 *     id, and queries for webhooks it owns are also sent to the first instance, which must forward
 *     them; {@code off}: one instance only
 * @param spread how far back in time the failures' last execution times are spread
 * @param loadTimeout how long the view may take to load every record
 * @param restoreTimeout how long the restarted instance may take to answer correctly again
 * @param statsAttempts attempts written for the delivery statistics queries, spread over the last 24
 *     hours (0: the statistics are not measured)
 * @param statsWebhooks webhooks of the one portal those attempts are spread over (the overview's size)
 * @param freshnessRate attempts a second written for one fresh webhook while its statistics are read
 * @param freshnessSeconds how long they are written (0: the statistics' freshness is not measured)
 */
public record FailedExecutionsSettings(
    int records, int webhooks, int partitions, int queries, int warmup, List<Integer> concurrency,
    boolean forwarding, Duration spread, Duration loadTimeout, Duration restoreTimeout, int statsAttempts,
    int statsWebhooks, int freshnessRate, int freshnessSeconds) {

  public FailedExecutionsSettings {
    if (records < 1 || webhooks < 1 || partitions < 1 || queries < 1 || warmup < 0) {
      throw new IllegalArgumentException("records, webhooks, partitions and queries must be >= 1, warmup >= 0");
    }
    if (webhooks > records) {
      throw new IllegalArgumentException("webhooks (" + webhooks + ") must not exceed records (" + records + ")");
    }
    if (statsAttempts < 0 || statsWebhooks < 1) {
      throw new IllegalArgumentException("stats-attempts must be >= 0 and stats-webhooks >= 1");
    }
    if (freshnessRate < 1 || freshnessSeconds < 0) {
      throw new IllegalArgumentException("freshness-rate must be >= 1 and freshness-seconds >= 0");
    }
    if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException("concurrency must list levels >= 1, was " + concurrency);
    }
    if (spread.toDays() >= 30) {
      throw new IllegalArgumentException("spread must stay inside the 30-day retention, was " + spread);
    }
    concurrency = List.copyOf(concurrency);
  }

  public static FailedExecutionsSettings from(String[] args, Map<String, String> env) {
    BenchArguments given = BenchArguments.parse(args, env, "records, webhooks, partitions, queries, warmup, "
        + "concurrency, forwarding, spread, load-timeout, restore-timeout, stats-attempts, stats-webhooks, "
        + "freshness-rate, freshness-seconds");
    String forwarding = given.text("forwarding", "BENCH_FORWARDING", "on");
    if (!forwarding.equals("on") && !forwarding.equals("off")) {
      throw new IllegalArgumentException("forwarding must be on or off, was " + forwarding);
    }
    List<Integer> levels = new ArrayList<>();
    for (String level : given.text("concurrency", "BENCH_CONCURRENCY", "1,4").split(",")) {
      levels.add(Integer.parseInt(level.trim()));
    }
    return new FailedExecutionsSettings(
        given.count("records", "BENCH_RECORDS", "1000000"),
        given.count("webhooks", "BENCH_WEBHOOKS", "10000"),
        given.count("partitions", "BENCH_PARTITIONS", "6"),
        given.count("queries", "BENCH_QUERIES", "5000"),
        given.count("warmup", "BENCH_WARMUP", "2000"),
        levels,
        forwarding.equals("on"),
        given.duration("spread", "BENCH_SPREAD", "20d"),
        given.duration("load-timeout", "BENCH_LOAD_TIMEOUT", "600s"),
        given.duration("restore-timeout", "BENCH_RESTORE_TIMEOUT", "300s"),
        given.count("stats-attempts", "BENCH_STATS_ATTEMPTS", "1000000"),
        given.count("stats-webhooks", "BENCH_STATS_WEBHOOKS", "1000"),
        given.count("freshness-rate", "BENCH_FRESHNESS_RATE", "7000"),
        given.count("freshness-seconds", "BENCH_FRESHNESS_SECONDS", "10"));
  }

  /** Failed executions per webhook (the first {@code records % webhooks} webhooks have one more). */
  int perWebhook(int webhook) {
    return records / webhooks + (webhook < records % webhooks ? 1 : 0);
  }
}
