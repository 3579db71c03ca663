package io.hookline.bench;

import io.hookline.schemas.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the failed-executions benchmark loads and measures. Read from arguments
 * ({@code records=1000000 webhooks=10000 queries=5000}), else from the environment
 * ({@code BENCH_RECORDS}, {@code BENCH_WEBHOOKS}, ...), else the defaults of issue 4: 1,000,000 failed
 * executions over 10,000 webhooks on 6 partitions.
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
 */
public record FailedExecutionsSettings(
    int records, int webhooks, int partitions, int queries, int warmup, List<Integer> concurrency,
    boolean forwarding, Duration spread, Duration loadTimeout, Duration restoreTimeout) {

  public FailedExecutionsSettings {
    if (records < 1 || webhooks < 1 || partitions < 1 || queries < 1 || warmup < 0) {
      throw new IllegalArgumentException("records, webhooks, partitions and queries must be >= 1, warmup >= 0");
    }
    if (webhooks > records) {
      throw new IllegalArgumentException("webhooks (" + webhooks + ") must not exceed records (" + records + ")");
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
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("Arguments are name=value (records, webhooks, partitions, queries, warmup, "
            + "concurrency, forwarding, spread, load-timeout, restore-timeout); got " + arg);
      }
      given.put(arg.substring(0, eq).replaceFirst("^--", ""), arg.substring(eq + 1));
    }
    String forwarding = pick(given, env, "forwarding", "BENCH_FORWARDING", "on");
    if (!forwarding.equals("on") && !forwarding.equals("off")) {
      throw new IllegalArgumentException("forwarding must be on or off, was " + forwarding);
    }
    List<Integer> levels = new ArrayList<>();
    for (String level : pick(given, env, "concurrency", "BENCH_CONCURRENCY", "1,4").split(",")) {
      levels.add(Integer.parseInt(level.trim()));
    }
    return new FailedExecutionsSettings(
        number(pick(given, env, "records", "BENCH_RECORDS", "1000000")),
        number(pick(given, env, "webhooks", "BENCH_WEBHOOKS", "10000")),
        number(pick(given, env, "partitions", "BENCH_PARTITIONS", "6")),
        number(pick(given, env, "queries", "BENCH_QUERIES", "5000")),
        number(pick(given, env, "warmup", "BENCH_WARMUP", "2000")),
        levels,
        forwarding.equals("on"),
        DurationText.parse(pick(given, env, "spread", "BENCH_SPREAD", "20d")),
        DurationText.parse(pick(given, env, "load-timeout", "BENCH_LOAD_TIMEOUT", "600s")),
        DurationText.parse(pick(given, env, "restore-timeout", "BENCH_RESTORE_TIMEOUT", "300s")));
  }

  private static int number(String text) {
    return Integer.parseInt(text.replace("_", "").replace(",", ""));
  }

  private static String pick(Map<String, String> given, Map<String, String> env, String arg, String var, String fallback) {
    String v = given.get(arg);
    if (v == null || v.isBlank()) {
      v = env.get(var);
    }
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** Failed executions per webhook (the first {@code records % webhooks} webhooks have one more). */
  int perWebhook(int webhook) {
    return records / webhooks + (webhook < records % webhooks ? 1 : 0);
  }
}
