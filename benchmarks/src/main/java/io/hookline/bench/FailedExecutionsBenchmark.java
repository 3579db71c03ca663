package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The failed-executions view benchmark (issue 4): with 1,000,000 failed executions over 10,000
 * webhooks in the view, how long does a 50-item page query take over HTTP on the instance that owns
 * the webhook (and, with {@code forwarding=on}, through an instance that forwards it to the owner),
 * and how long does an instance whose local state was deleted take to restore the view from its
 * changelog and answer correctly again. Every figure comes with a baseline measured in the same run
 * (machines are shared and noisy, so only same-run ratios are claims): page queries against a
 * cheap authenticated request to the same server by the same client (GET the webhook), forwarded
 * queries against the same queries sent to the owner, the restore against a plain consumer reading
 * the same changelog topics end to end.
 *
 * <p>Exit 0: measured, both targets met (p99 < 10 ms on the owner, restore < 60 s); 3: measured, a
 * target missed; 1: not measured (a wrong answer, a timeout). Run it with
 * {@code ./bench failed-executions [records=N] [webhooks=N] [forwarding=off]}.
 */
public final class FailedExecutionsBenchmark {

  static final long OWNER_P99_TARGET_US = 10_000;
  static final Duration RESTORE_TARGET = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private FailedExecutionsBenchmark() {}

  public static void main(String[] args) {
    int exit;
    try {
      exit = run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  private static int run(String[] args) throws Exception {
    // One logback configuration for the benchmark and for the query-api's own class loader: by URL,
    // so that loader (which does not hold the benchmark's resources) finds it too.
    URL logConfig = FailedExecutionsBenchmark.class.getResource("/bench-logback.xml");
    if (logConfig != null) {
      System.setProperty("logback.configurationFile", logConfig.toString());
    }
    FailedExecutionsSettings settings = FailedExecutionsSettings.from(args, System.getenv());
    Instant started = Instant.now();
    Progress.log("Failed executions: %,d over %,d webhooks, %d partitions, forwarding %s",
        settings.records(), settings.webhooks(), settings.partitions(), settings.forwarding() ? "on" : "off");
    PrintStream stdout = System.out;
    System.setOut(System.err);
    KafkaBroker startedBroker;
    try {
      startedBroker = KafkaBroker.start();
    } finally {
      System.setOut(stdout);
    }
    try (KafkaBroker broker = startedBroker) {
      Report report = new Run(broker, settings).run();
      report.took = Duration.between(started, Instant.now());
      System.out.print(report.render(settings, RetryLatenessBenchmark.machine(broker.kind())));
      System.out.flush();
      if (report.owner.stream().anyMatch(r -> r.errors() > 0)) {
        System.err.println("Wrong answers from the owner: not a measurement");
        return 1;
      }
      return report.targetsMet() ? 0 : 3;
    }
  }

  /** What one run measured. */
  static final class Report {
    Duration produce;
    Duration viewLoad;
    long payloadBytes;
    final List<PageQueries.Result> owner = new ArrayList<>();
    final List<Integer> ownerConcurrency = new ArrayList<>();
    final List<PageQueries.Result> forwarded = new ArrayList<>();
    final List<Integer> forwardedConcurrency = new ArrayList<>();
    String forwardingNote;
    LatencySummary directScan;
    String directScanNote;
    Duration restoreServerUp;
    Duration restore;
    ChangelogRead.Result changelog;
    Duration took;

    boolean targetsMet() {
      return owner.get(0).queries().p99Us() < OWNER_P99_TARGET_US
          && restore.compareTo(RESTORE_TARGET) < 0;
    }

    String render(FailedExecutionsSettings settings, String machine) {
      StringBuilder out = new StringBuilder();
      out.append("\nFailed-executions view benchmark (query-api over HTTP, one run, same broker)\n");
      out.append(String.format(Locale.ROOT, "load: %,d failed executions (%,d per webhook), %,d webhooks over 100 "
              + "portals, %d partitions, payloads %,d bytes on average, last executions spread over %d days%n",
          settings.records(), settings.records() / settings.webhooks(), settings.webhooks(), settings.partitions(),
          payloadBytes / settings.records(), settings.spread().toDays()));
      out.append(String.format(Locale.ROOT, "written to the dead-letter topic in %s (%,.0f records/s); view loaded "
              + "(Kafka Streams, exactly-once, RocksDB) %s after the first record%n",
          seconds(produce), settings.records() / (produce.toMillis() / 1000.0), seconds(viewLoad)));
      out.append(String.format(Locale.ROOT, "machine: %s%n", machine));
      out.append(String.format(Locale.ROOT, "queries: %,d measured per concurrency level after %,d warm-up, "
          + "GET .../executions?limit=50 (1/2 plain, 1/5 from_time/to_time, 1/5 events, 1/10 pageno=2)%n%n",
          settings.queries(), settings.warmup()));
      out.append(String.format(Locale.ROOT, "| %-44s | %11s | %7s | %7s | %8s | %7s | %6s |%n",
          "series", "concurrency", "p50 ms", "p99 ms", "p999 ms", "max ms", "errors"));
      out.append("|").append("-".repeat(46)).append("|").append("-".repeat(13)).append("|")
          .append("-".repeat(9)).append("|").append("-".repeat(9)).append("|").append("-".repeat(10)).append("|")
          .append("-".repeat(9)).append("|").append("-".repeat(8)).append("|\n");
      for (int i = 0; i < owner.size(); i++) {
        row(out, "page query, owner", ownerConcurrency.get(i), owner.get(i).queries(), owner.get(i).errors());
        row(out, "baseline: GET the webhook, same server", ownerConcurrency.get(i), owner.get(i).baseline(), 0);
      }
      if (directScan != null) {
        row(out, "direct store scan (in-process, no HTTP)", 1, directScan, 0);
      }
      for (int i = 0; i < forwarded.size(); i++) {
        row(out, "page query through forwarding", forwardedConcurrency.get(i), forwarded.get(i).queries(),
            forwarded.get(i).errors());
        row(out, "baseline: same query sent to the owner", forwardedConcurrency.get(i), forwarded.get(i).baseline(), 0);
      }
      out.append('\n');
      for (int i = 0; i < owner.size(); i++) {
        PageQueries.Result r = owner.get(i);
        out.append(String.format(Locale.ROOT, "owner, concurrency %d: page query / GET webhook = p50 %s, p99 %s%n",
            ownerConcurrency.get(i), LatencySummary.ratio(r.queries().p50Us(), r.baseline().p50Us()),
            LatencySummary.ratio(r.queries().p99Us(), r.baseline().p99Us())));
      }
      for (int i = 0; i < forwarded.size(); i++) {
        PageQueries.Result r = forwarded.get(i);
        out.append(String.format(Locale.ROOT, "forwarding, concurrency %d: forwarded / direct to owner = p50 %s, "
                + "p99 %s%n", forwardedConcurrency.get(i), LatencySummary.ratio(r.queries().p50Us(),
                r.baseline().p50Us()), LatencySummary.ratio(r.queries().p99Us(), r.baseline().p99Us())));
      }
      if (directScan != null) {
        out.append(String.format(Locale.ROOT, "owner, concurrency 1: direct store scan / page query over HTTP = "
            + "p50 %s, p99 %s%n", LatencySummary.ratio(directScan.p50Us(), owner.get(0).queries().p50Us()),
            LatencySummary.ratio(directScan.p99Us(), owner.get(0).queries().p99Us())));
      }
      if (directScanNote != null) {
        out.append(directScanNote).append('\n');
      }
      if (forwardingNote != null) {
        out.append(forwardingNote).append('\n');
      }
      for (PageQueries.Result r : concat(owner, forwarded)) {
        for (String sample : r.errorSamples()) {
          out.append("  wrong answer: ").append(sample).append('\n');
        }
      }
      out.append(String.format(Locale.ROOT, "%nRestore after the local state was deleted: first correct answer %s "
              + "after start (HTTP server answering after %s)%n", seconds(restore), seconds(restoreServerUp)));
      out.append(String.format(Locale.ROOT, "baseline: a plain read_committed consumer read the changelogs (%,d "
              + "records, %,d MiB) end to end in %s; restore / read = %s%n", changelog.records(),
          changelog.bytes() / (1024 * 1024), seconds(changelog.took()),
          LatencySummary.ratio(restore.toMillis(), changelog.took().toMillis())));
      out.append('\n');
      LatencySummary first = owner.get(0).queries();
      out.append(String.format(Locale.ROOT, "Target p99 < 10 ms on the owner (concurrency %d): %s (p99 = %s ms)%n",
          ownerConcurrency.get(0), first.p99Us() < OWNER_P99_TARGET_US ? "met" : "NOT met", LatencySummary.ms(first.p99Us())));
      out.append(String.format(Locale.ROOT, "Target restore of %,d records < 60 s: %s (%s)%n", settings.records(),
          restore.compareTo(RESTORE_TARGET) < 0 ? "met" : "NOT met", seconds(restore)));
      out.append(String.format(Locale.ROOT, "Total run time %s.%n",
          took.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT)));
      return out.toString();
    }

    private static List<PageQueries.Result> concat(List<PageQueries.Result> a, List<PageQueries.Result> b) {
      List<PageQueries.Result> all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }

    private static void row(StringBuilder out, String series, int concurrency, LatencySummary s, int errors) {
      out.append(String.format(Locale.ROOT, "| %-44s | %11d | %7s | %7s | %8s | %7s | %6d |%n", series, concurrency,
          LatencySummary.ms(s.p50Us()), LatencySummary.ms(s.p99Us()), LatencySummary.ms(s.p999Us()),
          LatencySummary.ms(s.maxUs()), errors));
    }
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** One run: broker topics, data, instances, measurements. */
  private static final class Run {

    private final KafkaBroker broker;
    private final FailedExecutionsSettings settings;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String applicationId = "bench-query-" + id;
    private final String jwtSecret = randomBase64(32);
    private final String secretsKey = SecretCipher.generateBase64Key();
    private final HooklineTopics topics;
    private final FailedExecutionsLoad load;
    private final long now = System.currentTimeMillis();
    private final Map<String, String> tokens = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Report report = new Report();

    Run(KafkaBroker broker, FailedExecutionsSettings settings) {
      this.broker = broker;
      this.settings = settings;
      this.topics = new HooklineTopics(new TopicSettings("bench" + id + ".hookline.", settings.partitions(), (short) 1,
          TopicSettings.DEFAULT_RETENTION), RetrySchedule.parse("60s,60s,60s"));
      this.load = new FailedExecutionsLoad(settings, topics, now);
      for (int w = 0; w < Math.min(settings.webhooks(), 100); w++) {
        tokens.put(FailedExecutionsLoad.portalOf(w), BenchToken.issue(jwtSecret, FailedExecutionsLoad.portalOf(w)));
      }
    }

    Report run() throws Exception {
      broker.createTopics(topics);
      awaitLeaders(List.of(topics.webhooks().name(), topics.deadLetter().name()));
      load.writeWebhooks(broker.bootstrapServers(), SecretCipher.fromBase64Key(secretsKey, "bench"));
      Progress.log("Wrote %,d webhooks to %s", settings.webhooks(), topics.webhooks().name());

      QueryApiInstance a = startInstance("A");
      QueryApiInstance b = settings.forwarding() ? startInstance("B") : null;
      awaitWebhooks(a);
      if (b != null) {
        awaitWebhooks(b);
      }

      long produceStart = System.nanoTime();
      report.payloadBytes = load.writeFailedExecutions(broker.bootstrapServers());
      report.produce = Duration.ofNanos(System.nanoTime() - produceStart);
      Progress.log("Wrote %,d failed executions to %s in %s", settings.records(), topics.deadLetter().name(),
          seconds(report.produce));
      awaitViewLoaded();
      report.viewLoad = Duration.ofNanos(System.nanoTime() - produceStart);
      Progress.log("View loaded %s after the first record", seconds(report.viewLoad));

      Set<Integer> onA = a.activePartitions(topics.deadLetter().name());
      List<Integer> ownedByA = webhooksOn(onA);
      Progress.log("Instance A serves dead-letter partitions %s (%,d webhooks)", onA, ownedByA.size());
      verifyPages(a, ownedByA);

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

      restore(a);
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

    /** Stops A, deletes its state, starts it again and waits for the first correct answer. */
    private void restore(QueryApiInstance a) throws Exception {
      int probe = webhooksOn(a.activePartitions(topics.deadLetter().name())).get(0);
      String probeUrl = PageQueries.executionsPath(probe) + "?limit=50";
      JsonNode expected = JSON.readTree(get(a, probeUrl).body()).get("data");
      a.close();
      try (Admin admin = broker.admin()) {
        // The stopped instance stays a member of the Streams group until its session times out
        // (Kafka Streams does not leave the group on close); remove it, as a leave would, so the
        // measurement is the restore and not a session timeout.
        admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions())
            .all().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        Progress.log("No stale group member to remove (%s)", e.getMessage());
      }
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
          answer = get(restarted, probeUrl);
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
      verifyPages(restarted, webhooksOn(restarted.activePartitions(topics.deadLetter().name())));
      restarted.close();
    }

    private QueryApiInstance startInstance(String name) throws IOException {
      return startInstance(name, Files.createTempDirectory("hookline-bench-state-"));
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
      Progress.log("query-api %s started on port %d in %s (state %s)", name, port,
          seconds(Duration.ofNanos(System.nanoTime() - start)), stateDir);
      return instance;
    }

    /**
     * Waits until every partition of the topics answers a ListOffsets on its leader: a produce right
     * after creation can meet a broker that does not host the partition yet.
     */
    private void awaitLeaders(List<String> names) throws Exception {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String name : names) {
        for (int p = 0; p < settings.partitions(); p++) {
          latest.put(new TopicPartition(name, p), OffsetSpec.latest());
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try (Admin admin = broker.admin()) {
        while (true) {
          try {
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return;
          } catch (java.util.concurrent.ExecutionException e) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("topics " + names + " have no leader after 60 s", e);
            }
            TimeUnit.MILLISECONDS.sleep(200);
          }
        }
      }
    }

    /** Waits until the instance's copy of the webhooks topic holds the last webhook. */
    private void awaitWebhooks(QueryApiInstance instance) throws Exception {
      int last = settings.webhooks() - 1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (get(instance, PageQueries.webhookPath(last)).statusCode() != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("query-api " + instance.name() + " did not see the webhooks");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }

    /** Waits until the view's consumer group has committed every dead-letter record. */
    private void awaitViewLoaded() throws Exception {
      long deadline = System.nanoTime() + settings.loadTimeout().toNanos();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < settings.partitions(); p++) {
        latest.put(new TopicPartition(topics.deadLetter().name(), p), OffsetSpec.latest());
      }
      try (Admin admin = broker.admin()) {
        long end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
            .mapToLong(i -> i.offset()).sum();
        long lastLog = System.nanoTime();
        while (true) {
          Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
              .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
          long done = committed.entrySet().stream()
              .filter(e -> e.getKey().topic().equals(topics.deadLetter().name()) && e.getValue() != null)
              .mapToLong(e -> e.getValue().offset()).sum();
          if (done >= end) {
            return;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the view loaded " + done + " of " + end + " records within "
                + settings.loadTimeout().toSeconds() + " s");
          }
          if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
            Progress.log("View: %,d of %,d records processed", done, end);
            lastLog = System.nanoTime();
          }
          TimeUnit.MILLISECONDS.sleep(200);
        }
      }
    }

    /** Checks a few webhooks' pages on their owner: every failure there, newest first, none lost. */
    private void verifyPages(QueryApiInstance instance, List<Integer> webhooks) throws Exception {
      for (int i = 0; i < Math.min(5, webhooks.size()); i++) {
        int w = webhooks.get(i * (webhooks.size() / 5 + 1) % webhooks.size());
        int seen = 0;
        long previous = Long.MAX_VALUE;
        for (int page = 1; ; page++) {
          HttpResponse<String> answer = get(instance, PageQueries.executionsPath(w) + "?limit=50&pageno=" + page);
          if (answer.statusCode() != 200) {
            throw new IllegalStateException("page " + page + " of webhook " + w + ": " + answer.statusCode() + " "
                + answer.body());
          }
          JsonNode data = JSON.readTree(answer.body()).get("data");
          if (data.isEmpty()) {
            break;
          }
          for (JsonNode item : data) {
            long time = Long.parseLong(item.get("last_execution_time").asText());
            if (time > previous) {
              throw new IllegalStateException("webhook " + w + " is not newest first");
            }
            previous = time;
          }
          seen += data.size();
        }
        if (seen != settings.perWebhook(w)) {
          throw new IllegalStateException("webhook " + w + " lists " + seen + " failures on " + instance.name()
              + ", expected " + settings.perWebhook(w));
        }
      }
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

    private HttpResponse<String> get(QueryApiInstance instance, String pathAndQuery) throws IOException, InterruptedException {
      String portal = pathAndQuery.substring("/api/v2/".length(), pathAndQuery.indexOf('/', "/api/v2/".length()));
      return PageQueries.get(http, instance.baseUrl() + pathAndQuery, tokens.get(portal));
    }
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
