package io.hookline.queryapi.stats.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.stats.domain.Outcome;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON of the statistics routes, snake_case like the rest of the API, times in epoch ms, null
 * for a percentile, rate or time that has no value (no attempt, no success, no failure).
 *
 * <ul>
 *   <li>A webhook's series: {@code {url, object: "webhook_stats", webhook_id, from_time, to_time,
 *       interval, totals, data}}; {@code totals} has {@code attempts, delivered, failures,
 *       dead_letters, success_rate, by_outcome, p50_ms, p95_ms, p99_ms, last_success_time,
 *       last_failure_time}; each point of {@code data} the same (without the rate) after its
 *       {@code start_time}. {@code by_outcome} counts every outcome: {@code delivered, http_error,
 *       timeout, connection_error, refused, circuit_open, not_sent}.
 *   <li>The overview: {@code {url, object: "list", from_time, to_time, data}}, one item per
 *       webhook, {@link #FAILING_FIRST}.
 * </ul>
 */
final class StatsJson {

  /** Most failures first, then the latest failure first, then by id. */
  static final Comparator<WebhookSummary> FAILING_FIRST = Comparator
      .comparingLong(WebhookSummary::failures).reversed()
      .thenComparing(WebhookSummary::lastFailureAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(WebhookSummary::webhookId);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StatsJson() {}

  static ObjectNode series(String url, String webhookId, StatsParameters.Range range, StatsInterval interval,
      StatsTotals totals, List<StatsBucket> buckets) {
    ObjectNode json = NODES.objectNode();
    json.put("url", url);
    json.put("object", "webhook_stats");
    json.put("webhook_id", webhookId);
    json.put("from_time", range.from());
    json.put("to_time", range.to());
    json.put("interval", interval.label());
    ObjectNode total = json.putObject("totals");
    total.put("attempts", totals.attempts());
    total.put("delivered", totals.delivered());
    total.put("failures", totals.failures());
    total.put("dead_letters", totals.deadLetters());
    total.put("success_rate", totals.successRate());
    byOutcome(total, totals.attemptsByOutcome());
    latencyAndTimes(total, totals.p50LatencyMs(), totals.p95LatencyMs(), totals.p99LatencyMs(),
        totals.lastSuccessAt(), totals.lastFailureAt());
    ArrayNode data = json.putArray("data");
    for (StatsBucket b : buckets) {
      ObjectNode point = data.addObject();
      point.put("start_time", b.start());
      point.put("attempts", b.attempts());
      point.put("delivered", b.delivered());
      point.put("failures", b.failures());
      byOutcome(point, b.attemptsByOutcome());
      point.put("dead_letters", b.deadLetters());
      latencyAndTimes(point, b.p50LatencyMs(), b.p95LatencyMs(), b.p99LatencyMs(), b.lastSuccessAt(),
          b.lastFailureAt());
    }
    return json;
  }

  static ObjectNode overview(String url, StatsParameters.Range range, List<Webhook> webhooks,
      Map<String, WebhookSummary> summaries) {
    ObjectNode json = NODES.objectNode();
    json.put("url", url);
    json.put("object", "list");
    json.put("from_time", range.from());
    json.put("to_time", range.to());
    ArrayNode data = json.putArray("data");
    Map<String, Webhook> byId = webhooks.stream()
        .collect(Collectors.toMap(Webhook::id, w -> w, (a, b) -> a));
    summaries.values().stream().sorted(FAILING_FIRST).forEach(s -> {
      Webhook webhook = byId.get(s.webhookId());
      ObjectNode item = data.addObject();
      item.put("webhook_id", s.webhookId());
      item.put("url", webhook.url());
      ArrayNode events = item.putArray("events");
      webhook.events().forEach(events::add);
      item.put("enabled", webhook.enabled());
      item.put("attempts", s.attempts());
      item.put("delivered", s.delivered());
      item.put("failures", s.failures());
      item.put("dead_letters", s.deadLetters());
      item.put("success_rate", s.successRate());
      item.put("last_success_time", s.lastSuccessAt());
      item.put("last_failure_time", s.lastFailureAt());
      item.put("p95_ms", s.p95LatencyMs());
    });
    return json;
  }

  private static void byOutcome(ObjectNode node, Map<Outcome, Long> counts) {
    ObjectNode byOutcome = node.putObject("by_outcome");
    for (Outcome outcome : Outcome.values()) {
      byOutcome.put(outcome.name().toLowerCase(Locale.ROOT), counts.getOrDefault(outcome, 0L));
    }
  }

  private static void latencyAndTimes(ObjectNode node, Long p50, Long p95, Long p99, Long lastSuccess,
      Long lastFailure) {
    node.put("p50_ms", p50);
    node.put("p95_ms", p95);
    node.put("p99_ms", p99);
    node.put("last_success_time", lastSuccess);
    node.put("last_failure_time", lastFailure);
  }
}
