package io.hookline.queryapi.stats.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.http.PageLinks;
import io.hookline.queryapi.stats.DeliveryStats;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The delivery statistics over HTTP: {@code GET /api/v2/{screenname}/webhooks/{id}/stats}, a
 * webhook's series and totals, and {@code GET /api/v2/{screenname}/stats}, every webhook of the
 * portal over a range, the failing ones first ({@link StatsJson}). Maps HTTP only: parameters
 * through {@link StatsParameters} (400 naming the parameter), webhooks through
 * {@link WebhookService} (404 for unknown ids and other portals' ids), statistics from
 * {@link DeliveryStats} (503 with Retry-After while they are not ready).
 */
@Controller("/api/v2/{screenname}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "delivery statistics")
public class StatsController {

  private static final String TIME = "epoch milliseconds, an ISO 8601 date-time (no offset: UTC) or a YYYY-MM-DD"
      + " day (UTC)";

  private final WebhookService webhooks;
  private final DeliveryStats stats;
  private final Clock clock;

  public StatsController(WebhookService webhooks, DeliveryStats stats, Clock clock) {
    this.webhooks = webhooks;
    this.stats = stats;
    this.clock = clock;
  }

  @Get("/webhooks/{id}/stats")
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "getWebhookStats", summary = "The webhook's delivery statistics over time",
      description = "Attempts by outcome, failures, dead letters, latency percentiles and the last success and"
          + " failure, per interval step (one point per step, empty steps included) and over the whole range."
          + " Kept for HOOKLINE_STATS_RETENTION (default 7 days) at one-minute resolution. A bad value is a 400"
          + " naming the parameter. Needs webhooks.READ.")
  @Parameter(name = "from_time", in = ParameterIn.QUERY, description = "Start of the range (inclusive): " + TIME
      + "; default 24 hours before to_time")
  @Parameter(name = "to_time", in = ParameterIn.QUERY, description = "End of the range (inclusive): " + TIME
      + "; a day means its end; default now")
  @Parameter(name = "interval", in = ParameterIn.QUERY, description = "Step of the series: 1m, 5m, 1h (default) or"
      + " 1d, steps aligned in UTC; at most " + StatsParameters.MAX_POINTS + " points", example = "1h")
  @ApiResponse(responseCode = "200", description = "{url, object: \"webhook_stats\", webhook_id, from_time, to_time,"
      + " interval, totals: {attempts, delivered, failures, dead_letters, success_rate, by_outcome, p50_ms, p95_ms,"
      + " p99_ms, last_success_time, last_failure_time}, data: [{start_time, attempts, delivered, failures,"
      + " by_outcome, dead_letters, p50_ms, p95_ms, p99_ms, last_success_time, last_failure_time}]}",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  ObjectNode series(@PathVariable String screenname, @PathVariable String id, HttpRequest<?> request) {
    Map<String, List<String>> parameters = request.getParameters().asMap();
    StatsParameters.Range range = StatsParameters.range(parameters, clock.millis());
    StatsInterval interval = StatsParameters.interval(parameters, range);
    webhooks.get(screenname, id);
    return StatsJson.series(PageLinks.requestTarget(request.getUri()), id, range, interval,
        stats.totals(id, range.from(), range.toExclusive()),
        stats.series(id, range.from(), range.toExclusive(), interval));
  }

  @Get("/stats")
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "getPortalStats", summary = "Every webhook of the portal with its delivery statistics,"
      + " failing first",
      description = "Per webhook: URL, events, enabled, attempts, delivered, failures, dead letters, success rate,"
          + " last success, last failure and p95 latency over the range; ordered by failures (most first), then"
          + " last failure (latest first), then id. Needs webhooks.READ.")
  @Parameter(name = "from_time", in = ParameterIn.QUERY, description = "Start of the range (inclusive): " + TIME
      + "; default 24 hours before to_time")
  @Parameter(name = "to_time", in = ParameterIn.QUERY, description = "End of the range (inclusive): " + TIME
      + "; a day means its end; default now")
  @ApiResponse(responseCode = "200", description = "{url, object: \"list\", from_time, to_time, data: [{webhook_id,"
      + " url, events, enabled, attempts, delivered, failures, dead_letters, success_rate, last_success_time,"
      + " last_failure_time, p95_ms}]}",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  ObjectNode overview(@PathVariable String screenname, HttpRequest<?> request) {
    StatsParameters.Range range = StatsParameters.range(request.getParameters().asMap(), clock.millis());
    List<Webhook> portal = webhooks.list(screenname);
    Map<String, WebhookSummary> summaries = stats.overview(portal.stream().map(Webhook::id).toList(), range.from(),
        range.toExclusive());
    return StatsJson.overview(PageLinks.requestTarget(request.getUri()), range, portal, summaries);
  }
}
