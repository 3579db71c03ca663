package io.hookline.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Which scenarios {@code ./bench retry-lateness} runs, and the light-load one's load. Read from
 * arguments ({@code scenario=light light-retries=300}), else from the environment
 * ({@code BENCH_SCENARIO}, {@code BENCH_LIGHT_RETRIES}, ...), else the defaults: both scenarios; the
 * light one publishes 300 events at 20 a second, each failing its first attempt and retried after 1
 * s, after an unmeasured warm-up of 100 such retries.
 *
 * @param scenarios {@code pending} (100,000 retries pending at once, against Spring) and/or
 *     {@code light} (a few hundred retries through the dispatcher and the retry-scheduler)
 * @param retries executions measured in the light scenario, each failed once and retried once
 * @param rate events published a second in the light scenario
 * @param webhooks webhooks (one per portal) the light scenario's events are spread over
 * @param warmup executions of the light scenario's unmeasured warm-up (0: none)
 * @param delay the retry delay of the light scenario
 */
public record LightRetrySettings(Set<String> scenarios, int retries, int rate, int webhooks, int warmup, Duration delay) {

  public LightRetrySettings {
    scenarios = Set.copyOf(scenarios);
    if (scenarios.isEmpty() || !Set.of("pending", "light").containsAll(scenarios)) {
      throw new IllegalArgumentException("scenario must be pending, light or pending,light, was " + scenarios);
    }
    if (retries < 1 || rate < 1 || webhooks < 1 || warmup < 0) {
      throw new IllegalArgumentException("light-retries, light-rate and light-webhooks must be >= 1, light-warmup >= 0");
    }
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("light-delay must be > 0, was " + delay);
    }
  }

  public static LightRetrySettings from(String[] args, Map<String, String> env) {
    BenchArguments given = BenchArguments.parse(args, env,
        "scenario, light-retries, light-rate, light-webhooks, light-warmup, light-delay");
    return new LightRetrySettings(
        Set.of(given.text("scenario", "BENCH_SCENARIO", "pending,light").split("\\s*,\\s*")),
        given.count("light-retries", "BENCH_LIGHT_RETRIES", "300"),
        given.count("light-rate", "BENCH_LIGHT_RATE", "20"),
        given.count("light-webhooks", "BENCH_LIGHT_WEBHOOKS", "10"),
        given.count("light-warmup", "BENCH_LIGHT_WARMUP", "100"),
        given.duration("light-delay", "BENCH_LIGHT_DELAY", "1s"));
  }

  boolean runs(String scenario) {
    return scenarios.contains(scenario);
  }
}
