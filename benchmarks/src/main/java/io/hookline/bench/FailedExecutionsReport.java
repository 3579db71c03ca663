package io.hookline.bench;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one run of the failed-executions benchmark measured, and the report it prints: the page
 * query series against their baselines, the ratios, the restore against a plain read of the
 * changelogs, the statistics and console pages against the page query, the statistics' freshness,
 * and the verdict on the targets (p99 < 10 ms on the owner for the page and statistics queries,
 * restore < 60 s, console pages p99 < 50 ms, statistics fresh within 2 s at p99).
 */
final class FailedExecutionsReport {

  static final long OWNER_P99_TARGET_US = 10_000;
  static final Duration RESTORE_TARGET = Duration.ofSeconds(60);
  static final long CONSOLE_P99_TARGET_US = 50_000;
  static final long FRESHNESS_P99_TARGET_US = 2_000_000;

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
  Duration statsLoad;
  LatencySummary statsSeries;
  LatencySummary statsOverview;
  LatencySummary consoleOverview;
  LatencySummary consoleExecution;
  StatsFreshness.Result freshness;

  boolean targetsMet() {
    return owner.get(0).queries().p99Us() < OWNER_P99_TARGET_US
        && restore.compareTo(RESTORE_TARGET) < 0
        && (statsSeries == null || statsSeries.p99Us() < OWNER_P99_TARGET_US)
        && (statsOverview == null || statsOverview.p99Us() < OWNER_P99_TARGET_US)
        && (consoleOverview == null || consoleOverview.p99Us() < CONSOLE_P99_TARGET_US)
        && (consoleExecution == null || consoleExecution.p99Us() < CONSOLE_P99_TARGET_US)
        && (freshness == null || freshness.delays().p99Us() < FRESHNESS_P99_TARGET_US);
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
    if (statsSeries != null) {
      row(out, "stats: one webhook, 24 h at 1m, owner", 1, statsSeries, 0);
      row(out, "stats: overview of " + settings.statsWebhooks() + " webhooks, 24 h", 1, statsOverview, 0);
    }
    if (consoleOverview != null) {
      row(out, "console: overview of " + settings.statsWebhooks() + " webhooks, owner", 1, consoleOverview, 0);
      row(out, "console: execution page, owner", 1, consoleExecution, 0);
    }
    if (freshness != null) {
      row(out, "stats freshness: delay of newest counted", 1, freshness.delays(), 0);
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
    if (statsSeries != null) {
      long page = owner.get(0).queries().p99Us();
      out.append(String.format(Locale.ROOT, "statistics (%,d attempts over %,d webhooks of one portal in the last "
              + "24 h, counted %s after the first was written): at p99, series / page query = %s, overview / page "
              + "query = %s (on the restarted instance A, alone and so the owner of every webhook)%n",
          settings.statsAttempts(), settings.statsWebhooks(), seconds(statsLoad),
          LatencySummary.ratio(statsSeries.p99Us(), page), LatencySummary.ratio(statsOverview.p99Us(), page)));
    }
    if (consoleOverview != null) {
      LatencySummary page = owner.get(0).queries();
      out.append(String.format(Locale.ROOT, "console pages (server time: the client's latency on loopback, HTML "
              + "rendered): overview / page query = p50 %s, p99 %s; execution page / page query = p50 %s, p99 %s%n",
          LatencySummary.ratio(consoleOverview.p50Us(), page.p50Us()),
          LatencySummary.ratio(consoleOverview.p99Us(), page.p99Us()),
          LatencySummary.ratio(consoleExecution.p50Us(), page.p50Us()),
          LatencySummary.ratio(consoleExecution.p99Us(), page.p99Us())));
    }
    if (freshness != null) {
      out.append(String.format(Locale.ROOT, "statistics freshness: %,d attempts to one webhook at %,.0f/s (asked "
              + "%,d/s, at most %d ms behind schedule), its totals read every %d ms (%,d reads), every attempt "
              + "counted %,d ms after the last was sent; p99 delay / 2 s target = %s%n",
          freshness.attempts(), freshness.sentPerSecond(), settings.freshnessRate(), freshness.maxBehindMs(),
          StatsFreshness.POLL_MS, freshness.delays().count(), freshness.lastCounted().toMillis(),
          LatencySummary.ratio(freshness.delays().p99Us(), FRESHNESS_P99_TARGET_US)));
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
        ownerConcurrency.get(0), met(first.p99Us() < OWNER_P99_TARGET_US), LatencySummary.ms(first.p99Us())));
    if (statsSeries != null) {
      out.append(String.format(Locale.ROOT, "Target statistics p99 < 10 ms: series %s (%s ms), overview %s (%s ms)%n",
          met(statsSeries.p99Us() < OWNER_P99_TARGET_US), LatencySummary.ms(statsSeries.p99Us()),
          met(statsOverview.p99Us() < OWNER_P99_TARGET_US), LatencySummary.ms(statsOverview.p99Us())));
    }
    if (consoleOverview != null) {
      out.append(String.format(Locale.ROOT, "Target console server time p99 < 50 ms: overview %s (%s ms), execution "
              + "page %s (%s ms)%n", met(consoleOverview.p99Us() < CONSOLE_P99_TARGET_US),
          LatencySummary.ms(consoleOverview.p99Us()), met(consoleExecution.p99Us() < CONSOLE_P99_TARGET_US),
          LatencySummary.ms(consoleExecution.p99Us())));
    }
    if (freshness != null) {
      out.append(String.format(Locale.ROOT, "Target statistics freshness p99 < 2 s at %,d attempts/s: %s (p99 = %s "
              + "ms)%n", settings.freshnessRate(), met(freshness.delays().p99Us() < FRESHNESS_P99_TARGET_US),
          LatencySummary.ms(freshness.delays().p99Us())));
    }
    out.append(String.format(Locale.ROOT, "Target restore of %,d records < 60 s: %s (%s)%n", settings.records(),
        met(restore.compareTo(RESTORE_TARGET) < 0), seconds(restore)));
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

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
