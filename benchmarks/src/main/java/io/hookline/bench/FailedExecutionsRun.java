package io.hookline.bench;

import static io.hookline.bench.FailedExecutionsReport.seconds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.testing.Folders;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One run of the failed-executions benchmark: topics and data on the broker, two query-api
 * instances, the measured page queries, then the restore. Every instance keeps its Kafka Streams
 * state (RocksDB, close to a gigabyte for the default million records) in one temporary folder;
 * {@link #close} stops what still runs and deletes that folder, on success and on failure alike.
 */
final class FailedExecutionsRun implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaBroker broker;
  private final FailedExecutionsSettings settings;
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String applicationId = "bench-query-" + id;
  private final String jwtSecret = randomBase64(32);
  private final String secretsKey = SecretCipher.generateBase64Key();
  private final SecretCipher cipher = SecretCipher.fromBase64Key(secretsKey, "bench");
  private final HooklineTopics topics;
  private final FailedExecutionsLoad load;
  private final StatsLoad statsLoad;
  private final long now = System.currentTimeMillis();
  private final Map<String, String> tokens = new HashMap<>();
  private final QueryApiClient client = new QueryApiClient(tokens);
  private final FailedExecutionsChecks checks;
  private final FailedExecutionsReport report = new FailedExecutionsReport();
  private final Path stateRoot;
  private final List<QueryApiInstance> started = new ArrayList<>();

  /** @param stateRoot a folder of its own for the instances' state, deleted by {@link #close} */
  FailedExecutionsRun(KafkaBroker broker, FailedExecutionsSettings settings, Path stateRoot) {
    this.stateRoot = stateRoot;
    this.broker = broker;
    this.settings = settings;
    this.topics = new HooklineTopics(new TopicSettings("bench" + id + ".hookline.", settings.partitions(), (short) 1,
        TopicSettings.DEFAULT_RETENTION), RetrySchedule.defaults());
    this.load = new FailedExecutionsLoad(settings, topics, now);
    this.statsLoad = new StatsLoad(settings, topics, load, now);
    for (int w = 0; w < Math.min(settings.webhooks(), 100); w++) {
      tokens.put(FailedExecutionsLoad.portalOf(w), BenchToken.issue(jwtSecret, FailedExecutionsLoad.portalOf(w)));
    }
    tokens.put(StatsLoad.PORTAL, BenchToken.issue(jwtSecret, StatsLoad.PORTAL));
    tokens.put(StatsFreshness.PORTAL, BenchToken.issue(jwtSecret, StatsFreshness.PORTAL));
    this.checks = new FailedExecutionsChecks(broker, settings, topics, applicationId, client);
  }

  FailedExecutionsReport run() throws Exception {
    broker.createTopics(topics);
    checks.awaitLeaders(List.of(topics.webhooks().name(), topics.deadLetter().name(), topics.attempts().name()));
    if (settings.statsAttempts() > 0) {
      statsLoad.writeWebhooks(broker.bootstrapServers(), cipher);
    }
    load.writeWebhooks(broker.bootstrapServers(), cipher);
    Progress.log("Wrote %,d webhooks to %s", settings.webhooks(), topics.webhooks().name());

    QueryApiInstance a = startInstance("A");
    QueryApiInstance b = settings.forwarding() ? startInstance("B") : null;
    checks.awaitWebhooks(a);
    if (b != null) {
      checks.awaitWebhooks(b);
    }

    long produceStart = System.nanoTime();
    report.payloadBytes = load.writeFailedExecutions(broker.bootstrapServers());
    report.produce = Duration.ofNanos(System.nanoTime() - produceStart);
    Progress.log("Wrote %,d failed executions to %s in %s", settings.records(), topics.deadLetter().name(),
        seconds(report.produce));
    checks.awaitViewLoaded();
    report.viewLoad = Duration.ofNanos(System.nanoTime() - produceStart);
    Progress.log("View loaded %s after the first record", seconds(report.viewLoad));

    Set<Integer> onA = a.activePartitions(topics.deadLetter().name());
    List<Integer> ownedByA = webhooksOn(onA);
    Progress.log("Instance A serves dead-letter partitions %s (%,d webhooks)", onA, ownedByA.size());
    checks.verifyPages(a, ownedByA);

    PageQueries ownerQueries = new PageQueries(settings, ownedByA, tokens, now, a.baseUrl(),
        (w, pathAndQuery) -> a.baseUrl() + PageQueries.webhookPath(w));
    measure("owner", ownerQueries, report.owner, report.ownerConcurrency);
    try {
      DirectScans scans = DirectScans.of(a);
      scans.run(settings, ownedByA, now, Math.min(settings.warmup(), 2_000), 1);
      report.directScan = scans.run(settings, ownedByA, now, settings.queries(), 7);
      Progress.log("direct store scan: p50 %s ms, p99 %s ms", LatencySummary.ms(report.directScan.p50Us()),
          LatencySummary.ms(report.directScan.p99Us()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      report.directScanNote = "direct store scan: not measured (" + e + ")";
      Progress.log("%s", report.directScanNote);
    }

    if (b != null) {
      Set<Integer> onB = b.activePartitions(topics.deadLetter().name());
      List<Integer> ownedByB = webhooksOn(onB);
      Progress.log("Instance B serves dead-letter partitions %s (%,d webhooks)", onB, ownedByB.size());
      if (ownedByB.isEmpty()) {
        report.forwardingNote = "forwarding: instance B owns no partition, nothing to forward";
      } else {
        PageQueries forwardedQueries = new PageQueries(settings, ownedByB, tokens, now, a.baseUrl(),
            (w, pathAndQuery) -> b.baseUrl() + pathAndQuery);
        measure("forwarding", forwardedQueries, report.forwarded, report.forwardedConcurrency);
        if (report.forwarded.stream().anyMatch(r -> r.errors() > 0)) {
          report.forwardingNote = "forwarding: instance A gave wrong answers for webhooks owned by B; "
              + "those latencies are not a measurement";
        }
      }
      b.close();
    } else {
      report.forwardingNote = "forwarding: off (one instance)";
    }

    QueryApiInstance restarted = restore(a);
    if (settings.statsAttempts() > 0) {
      measureStats(restarted);
      measureConsole(restarted);
    }
    if (settings.freshnessSeconds() > 0) {
      measureFreshness(restarted);
    }
    restarted.close();
    return report;
  }

  private void measure(String what, PageQueries queries, List<PageQueries.Result> into, List<Integer> levels)
      throws InterruptedException {
    if (settings.warmup() > 0) {
      int c = settings.concurrency().stream().max(Integer::compare).orElse(1);
      PageQueries.Result warm = queries.run(what + " warm-up", settings.warmup(), c, 1);
      Progress.log("%s warm-up: %,d queries, p50 %s ms, p99 %s ms, %d errors", what, settings.warmup(),
          LatencySummary.ms(warm.queries().p50Us()), LatencySummary.ms(warm.queries().p99Us()), warm.errors());
    }
    for (int c : settings.concurrency()) {
      PageQueries.Result r = queries.run(what, settings.queries(), c, 100 + c);
      Progress.log("%s, concurrency %d: p50 %s ms, p99 %s ms (baseline p50 %s ms, p99 %s ms), %d errors", what, c,
          LatencySummary.ms(r.queries().p50Us()), LatencySummary.ms(r.queries().p99Us()),
          LatencySummary.ms(r.baseline().p50Us()), LatencySummary.ms(r.baseline().p99Us()), r.errors());
      into.add(r);
      levels.add(c);
    }
  }

  /**
   * Writes the statistics' attempts (after the restore, so that the restore measures the view it
   * always measured), waits until A, by then the only instance and so the owner of every webhook,
   * counts every one of them, then times the series of a webhook and the overview of the stats portal.
   */
  private void measureStats(QueryApiInstance a) throws Exception {
    long produceStart = System.nanoTime();
    statsLoad.writeAttempts(broker.bootstrapServers());
    checks.awaitConsumed(topics.attempts().name());
    StatsRequests stats = new StatsRequests(settings, statsLoad, tokens);
    stats.awaitCounted(a);
    report.statsLoad = Duration.ofNanos(System.nanoTime() - produceStart);
    Progress.log("Statistics: %,d attempts counted %s after the first was written", settings.statsAttempts(),
        seconds(report.statsLoad));
    Set<Integer> onA = a.activePartitions(topics.deadLetter().name());
    List<Integer> owned = new ArrayList<>();
    for (int w = 0; w < settings.statsWebhooks(); w++) {
      if (onA.contains(statsLoad.partitionOf(w))) {
        owned.add(w);
      }
    }
    if (owned.size() < settings.statsWebhooks()) {
      throw new IllegalStateException("instance A owns " + owned.size() + " of the " + settings.statsWebhooks()
          + " stats webhooks; the overview would not be read on the owner alone");
    }
    int warmup = Math.min(settings.warmup(), 500);
    int queries = Math.min(settings.queries(), 1_000);
    if (warmup > 0) {
      stats.series(a, owned, warmup, 1);
    }
    report.statsSeries = stats.series(a, owned, queries, 2);
    if (warmup > 0) {
      stats.overview(a, Math.min(warmup, 100));
    }
    report.statsOverview = stats.overview(a, Math.min(queries, 300));
    Progress.log("Statistics: series p99 %s ms, overview p99 %s ms", LatencySummary.ms(report.statsSeries.p99Us()),
        LatencySummary.ms(report.statsOverview.p99Us()));
  }

  /**
   * Times the console's overview of the stats portal and the pages of failed executions, one at a
   * time after a warm-up, on A (the owner of every webhook, with the statistics already counted);
   * the executions' attempts are written first (the data set holds none).
   */
  private void measureConsole(QueryApiInstance a) throws Exception {
    ConsoleRequests console = new ConsoleRequests(settings, tokens);
    int warmup = Math.min(settings.warmup(), 500);
    int queries = Math.min(settings.queries(), 1_000);
    List<ConsoleRequests.Execution> executions = console.sample(client, a, warmup + queries, 3);
    console.writeAttempts(broker.bootstrapServers(), topics, executions);
    checks.awaitConsumed(topics.attempts().name());
    Progress.log("Console: the attempts of %,d failed executions written", executions.size());
    if (warmup > 0) {
      console.overview(a, Math.min(warmup, 100));
    }
    report.consoleOverview = console.overview(a, Math.min(queries, 300));
    if (warmup > 0) {
      console.executions(a, executions.subList(0, warmup));
    }
    report.consoleExecution = console.executions(a, executions.subList(warmup, executions.size()));
    Progress.log("Console: overview p99 %s ms, execution page p99 %s ms",
        LatencySummary.ms(report.consoleOverview.p99Us()), LatencySummary.ms(report.consoleExecution.p99Us()));
  }

  /** Writes a fresh webhook, then its attempts at the dispatcher's rate while A's statistics of it are read. */
  private void measureFreshness(QueryApiInstance a) throws Exception {
    StatsFreshness freshness = new StatsFreshness(settings, topics, tokens);
    freshness.writeWebhook(load, broker.bootstrapServers(), cipher);
    Progress.log("Freshness: %,d attempts/s for %d s to one webhook, its statistics read every %d ms",
        settings.freshnessRate(), settings.freshnessSeconds(), StatsFreshness.POLL_MS);
    report.freshness = freshness.run(a, broker.bootstrapServers());
    Progress.log("Freshness: sent at %,.0f/s, delay p50 %s ms, p99 %s ms, all counted %,d ms after the last send",
        report.freshness.sentPerSecond(), LatencySummary.ms(report.freshness.delays().p50Us()),
        LatencySummary.ms(report.freshness.delays().p99Us()), report.freshness.lastCounted().toMillis());
  }

  /**
   * Stops A, deletes its state, starts it again and waits for the first correct answer; returns the
   * restarted instance, still running.
   */
  private QueryApiInstance restore(QueryApiInstance a) throws Exception {
    int probe = webhooksOn(a.activePartitions(topics.deadLetter().name())).get(0);
    String probeUrl = PageQueries.executionsPath(probe) + "?limit=50";
    JsonNode expected = JSON.readTree(client.get(a, probeUrl).body()).get("data");
    // Closing leaves the Streams group, so the restart measures the restore, not a session timeout.
    a.close();
    List<String> changelogs = List.of(applicationId + "-failed-executions-changelog",
        applicationId + "-failed-execution-keys-changelog");
    Progress.log("Baseline: reading %s end to end", changelogs);
    report.changelog = ChangelogRead.readAll(broker.bootstrapServers(), changelogs);
    Progress.log("Baseline: %,d records in %s", report.changelog.records(), seconds(report.changelog.took()));
    a.deleteState();
    Progress.log("Deleted %s; starting A again", a.stateDir());
    long start = System.nanoTime();
    QueryApiInstance restarted = startInstance("A (restarted)", a.stateDir());
    Duration serverUp = null;
    long deadline = start + settings.restoreTimeout().toNanos();
    int lastStatus = -1;
    long lastLog = System.nanoTime();
    while (true) {
      HttpResponse<String> answer;
      try {
        answer = client.get(restarted, probeUrl);
      } catch (IOException e) {
        answer = null;
      }
      long at = System.nanoTime();
      if (answer != null) {
        if (serverUp == null) {
          serverUp = Duration.ofNanos(at - start);
        }
        lastStatus = answer.statusCode();
        if (answer.statusCode() == 200 && expected.equals(JSON.readTree(answer.body()).get("data"))) {
          report.restore = Duration.ofNanos(at - start);
          break;
        }
      }
      if (at > deadline) {
        throw new IllegalStateException("the restarted instance did not answer correctly within "
            + settings.restoreTimeout().toSeconds() + " s (last status " + lastStatus + ")");
      }
      if (at - lastLog > TimeUnit.SECONDS.toNanos(5)) {
        Progress.log("Restore: waiting (last answer %d)", lastStatus);
        lastLog = at;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    report.restoreServerUp = serverUp;
    Progress.log("Restore: first correct answer after %s", seconds(report.restore));
    checks.verifyPages(restarted, webhooksOn(restarted.activePartitions(topics.deadLetter().name())));
    return restarted;
  }

  private QueryApiInstance startInstance(String name) throws IOException {
    return startInstance(name, Files.createDirectories(stateRoot.resolve("instance-" + name)));
  }

  private QueryApiInstance startInstance(String name, Path stateDir) throws IOException {
    int port = freePort();
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("micronaut.server.port", port);
    props.put("hookline.http-port", port);
    props.put("hookline.kafka-bootstrap-servers", broker.bootstrapServers());
    props.put("hookline.topic-prefix", topics.settings().prefix());
    props.put("hookline.topic-partitions", settings.partitions());
    props.put("hookline.jwt-secret", jwtSecret);
    props.put("hookline.secrets-key", secretsKey);
    props.put("hookline.query-application-id", applicationId);
    props.put("hookline.state-dir", stateDir.toString());
    if (settings.forwarding()) {
      // Where the other instance reaches this one (Kafka Streams application.server).
      props.put("hookline.query-advertised-url", "127.0.0.1:" + port);
    }
    long start = System.nanoTime();
    QueryApiInstance instance = QueryApiInstance.start(name, port, stateDir, props);
    started.add(instance);
    Progress.log("query-api %s started on port %d in %s (state %s)", name, port,
        seconds(Duration.ofNanos(System.nanoTime() - start)), stateDir);
    return instance;
  }

  /**
   * Stops the instances a failure left running, then deletes every instance's state. Closing an
   * instance twice is harmless (Micronaut stops a context once).
   */
  @Override
  public void close() throws IOException {
    for (QueryApiInstance instance : started) {
      try {
        instance.close();
      } catch (RuntimeException e) {
        Progress.log("query-api %s did not stop cleanly: %s", instance.name(), e);
      }
    }
    Folders.deleteRecursively(stateRoot);
  }

  private List<Integer> webhooksOn(Set<Integer> partitions) {
    List<Integer> out = new ArrayList<>();
    for (int w = 0; w < settings.webhooks(); w++) {
      if (partitions.contains(load.partitionOf(w))) {
        out.add(w);
      }
    }
    return out;
  }

  private static String randomBase64(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
