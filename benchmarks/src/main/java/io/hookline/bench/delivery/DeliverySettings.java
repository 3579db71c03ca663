package io.hookline.bench.delivery;

import io.hookline.bench.BenchArguments;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one run of the delivery benchmark loads. Read from arguments ({@code events=20000
 * webhooks=100 only=hookline,plain scenario=throughput,isolation}), else from the environment
 * ({@code BENCH_EVENTS}, {@code BENCH_WEBHOOKS}, ...), else the defaults below.
 *
 * @param events events of the all-healthy burst (throughput) phase, one delivery each: 100,000 by
 *     default, so the burst measures the steady state. A 20,000-event burst lasts about 3 s on a
 *     2-core machine and measures the JIT's warm-up as much as the contenders: the ceiling read
 *     8-10k/s with 20,000 and 15k/s with 100,000 in the same hour
 * @param isolationEvents events of the isolation burst
 * @param webhooks webhooks the events are spread over, round-robin (one portal and key each)
 * @param partitions partitions of every input topic
 * @param warmup events each contender delivers first, not measured
 * @param rate events per second of the latency phases
 * @param latencyDuration how long each latency phase produces at {@code rate}
 * @param pacedWarmup how long each contender gets the fixed-rate load, not measured, right before
 *     its latency phase (see {@link #pacedWarmupEvents})
 * @param isolationTimeout how long an isolation phase may wait for its healthy deliveries
 * @param backlog events preloaded before the dispatcher starts in the backpressure scenario
 * @param maxInFlight requests in flight for every contender (Hookline's max-in-flight default)
 * @param childXmx -Xmx of every contender's JVM
 * @param only contenders that run; {@code registry=true} adds Hookline on the schema registry's wire
 *     format (a real Apicurio Registry, started for the run) to them, measured beside plain Hookline;
 *     {@code schema=true} adds Hookline validating every event against {@link EventShape#ORDER_SCHEMA};
 *     {@code ordering=key} adds Hookline with webhooks ordered by key
 * @param scenarios scenarios that run: throughput (includes latency), isolation, backpressure
 * @param profile record a JFR profile of Hookline's throughput phases
 * @param fanout webhooks subscribed to each event: the webhooks form {@code webhooks / fanout}
 *     portals of {@code fanout} webhooks each, and every event goes to one portal, so it makes
 *     {@code fanout} deliveries. Above 1, only the ceiling and Hookline run, throughput only
 * @param orderingKeys with {@code ordering=key}: distinct ordering keys (entity ids) of each portal's events
 * @param warmupDuration how long the warm-up scenario paces {@code rate} events/s at a contender
 *     started for it (cold: no warm-up burst, no paced warm-up), measured from its first event
 */
record DeliverySettings(
    int events, int isolationEvents, int webhooks, int partitions, int warmup, int rate, Duration latencyDuration,
    Duration pacedWarmup, Duration isolationTimeout, int backlog, int maxInFlight, String childXmx, Set<Contender> only,
    Set<String> scenarios, boolean profile, int fanout, int orderingKeys, Duration warmupDuration) {

  static final List<String> SCENARIOS = List.of("throughput", "isolation", "backpressure", "warmup");

  DeliverySettings {
    if (events < 1 || isolationEvents < 1 || webhooks < 10 || partitions < 1 || warmup < 0 || rate < 1 || backlog < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("events, isolation-events, partitions, rate, backlog and max-in-flight must be >= 1, "
          + "webhooks >= 10 (a tenth of them hang in the isolation scenario), warmup >= 0");
    }
    if (fanout < 1 || webhooks % fanout != 0) {
      throw new IllegalArgumentException("fanout must be >= 1 and divide webhooks (" + webhooks + "), was " + fanout);
    }
    if (warmupDuration.toMillis() < 1000) {
      throw new IllegalArgumentException("warmup-duration must be at least 1s, was " + warmupDuration);
    }
    if (fanout > 1 && (!Set.of("throughput").containsAll(scenarios)
        || !Set.of(Contender.CEILING, Contender.HOOKLINE).containsAll(only))) {
      throw new IllegalArgumentException("fanout above 1 runs the throughput scenario of the ceiling and Hookline only");
    }
    for (String s : scenarios) {
      if (!SCENARIOS.contains(s)) {
        throw new IllegalArgumentException("scenario must be a comma list of " + SCENARIOS + " or all, was " + s);
      }
    }
  }

  static DeliverySettings from(String[] args, Map<String, String> env) {
    BenchArguments given = BenchArguments.parse(args, env, "events, isolation-events, webhooks, partitions, warmup, "
        + "rate, latency-duration, paced-warmup, isolation-timeout, backlog, max-in-flight, xmx, only, scenario, profile, "
        + "fanout, registry, schema, ordering, ordering-keys, warmup-duration");
    String scenario = given.text("scenario", "BENCH_SCENARIO", "all");
    Set<String> scenarios = new LinkedHashSet<>(scenario.equals("all") ? SCENARIOS : List.of(scenario.split(",")));
    String only = given.text("only", "BENCH_ONLY", "all");
    Set<Contender> contenders = new LinkedHashSet<>();
    if (only.equals("all")) {
      contenders.addAll(List.of(Contender.values()));
      contenders.remove(Contender.HOOKLINE_REGISTRY);
      contenders.remove(Contender.HOOKLINE_SCHEMA);
      contenders.remove(Contender.HOOKLINE_ORDERED);
    } else {
      for (String name : only.split(",")) {
        contenders.add(Contender.named(name.trim()));
      }
    }
    if (Boolean.parseBoolean(given.text("registry", "BENCH_REGISTRY", "false"))) {
      contenders.add(Contender.HOOKLINE_REGISTRY);
    }
    if (Boolean.parseBoolean(given.text("schema", "BENCH_SCHEMA", "false"))) {
      contenders.add(Contender.HOOKLINE_SCHEMA);
    }
    String ordering = given.text("ordering", "BENCH_ORDERING", "none");
    if (ordering.equals("key")) {
      contenders.add(Contender.HOOKLINE_ORDERED);
    } else if (!ordering.equals("none")) {
      throw new IllegalArgumentException("ordering must be key or none, was " + ordering);
    }
    int orderingKeys = given.count("ordering-keys", "BENCH_ORDERING_KEYS", "100");
    return new DeliverySettings(
        given.count("events", "BENCH_EVENTS", "100000"),
        given.count("isolation-events", "BENCH_ISOLATION_EVENTS", "20000"),
        given.count("webhooks", "BENCH_WEBHOOKS", "100"),
        given.count("partitions", "BENCH_PARTITIONS", "6"),
        given.count("warmup", "BENCH_WARMUP", "20000"),
        given.count("rate", "BENCH_RATE", "1000"),
        given.duration("latency-duration", "BENCH_LATENCY_DURATION", "10s"),
        given.duration("paced-warmup", "BENCH_PACED_WARMUP", "20s"),
        given.duration("isolation-timeout", "BENCH_ISOLATION_TIMEOUT", "20s"),
        given.count("backlog", "BENCH_BACKLOG", "50000"),
        given.count("max-in-flight", "BENCH_MAX_IN_FLIGHT", "512"),
        given.text("xmx", "BENCH_CHILD_XMX", "1g"),
        contenders, scenarios,
        Boolean.parseBoolean(given.text("profile", "BENCH_PROFILE", "false")),
        given.count("fanout", "BENCH_FANOUT", "1"), orderingKeys,
        given.duration("warmup-duration", "BENCH_WARMUP_DURATION", "20s"));
  }

  /** These settings with another load: the points of {@link DeliveryCurves}. */
  DeliverySettings with(int events, int warmup, int webhooks, int partitions, int rate, int fanout) {
    return new DeliverySettings(events, isolationEvents, webhooks, partitions, warmup, rate, latencyDuration,
        pacedWarmup, isolationTimeout, backlog, maxInFlight, childXmx, only, scenarios, profile, fanout, orderingKeys,
        warmupDuration);
  }

  /**
   * What every contender's events look like: the default unless {@code schema=true} (an order payload
   * for the schema to check) or {@code ordering=key} ({@link #orderingKeys} entity ids per portal) asks.
   */
  EventShape eventShape() {
    boolean orderPayload = only.contains(Contender.HOOKLINE_SCHEMA);
    int keys = only.contains(Contender.HOOKLINE_ORDERED) ? orderingKeys : 0;
    return orderPayload || keys > 0 ? new EventShape(orderPayload, keys, portals()) : EventShape.DEFAULT;
  }

  /** Portals the events go to, {@code fanout} webhooks each. */
  int portals() {
    return webhooks / fanout;
  }

  boolean runs(String scenario) {
    return scenarios.contains(scenario);
  }

  boolean runs(Contender c) {
    return only.contains(c);
  }

  int latencyEvents() {
    return (int) Math.max(1, rate * latencyDuration.toMillis() / 1000);
  }

  /**
   * Events delivered at {@code rate} right before each latency phase, not measured, so the JIT has
   * compiled the low-rate paths (a record or two per poll) before the measurement. With a 5 s
   * warm-up the C2 compiler thread still took about half a core in every contender's JVM during
   * the latency phase (thread CPU from /proc), on a machine that load already saturates.
   */
  int pacedWarmupEvents() {
    return (int) (rate * pacedWarmup.toMillis() / 1000);
  }

  /** Events of the warm-up scenario: {@code warmupDuration} at {@code rate}. */
  int coldEvents() {
    return (int) Math.max(1, rate * warmupDuration.toMillis() / 1000);
  }

  /**
   * Portal index of event {@code seq} (its key); with a fan-out of 1 also its webhook's index and
   * receiver path.
   */
  int webhookOf(long seq) {
    return (int) (seq % portals());
  }

  /** The webhooks that never answer in the isolation scenario: one in ten. */
  static boolean hangsInIsolation(int webhook) {
    return webhook % 10 == 0;
  }
}
