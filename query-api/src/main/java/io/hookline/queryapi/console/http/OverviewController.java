package io.hookline.queryapi.console.http;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.console.OverviewRows;
import io.hookline.queryapi.console.SvgCharts;
import io.hookline.queryapi.stats.DeliveryStats;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /console/{portal}}: every webhook of the portal with its last 24 hours (one
 * {@link DeliveryStats#overview} call for all of them, from the start of the hour 24 hours ago, so the
 * statistics read whole hours and no minutes at the start), failing ones first, {@value #PAGE_SIZE} per
 * page. Each row's sparkline is its own small request ({@code .../sparkline}), loaded as the row comes
 * into view, so the page's own time does not grow with one series per webhook; without script the
 * row's numbers say the same.
 */
@Hidden
@Controller("/console/{screenname}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OverviewController {

  static final int PAGE_SIZE = 50;
  static final Duration RANGE = Duration.ofHours(24);

  private final ConsolePages pages;
  private final WebhookService webhooks;
  private final DeliveryStats stats;
  private final Clock clock;

  public OverviewController(ConsolePages pages, WebhookService webhooks, DeliveryStats stats, Clock clock) {
    this.pages = pages;
    this.webhooks = webhooks;
    this.stats = stats;
    this.clock = clock;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> overview(@PathVariable String screenname, @QueryValue @Nullable Integer page,
      HttpRequest<?> request) {
    return pages.answer(request, "/console", () -> {
      long now = clock.millis();
      List<Webhook> all = webhooks.list(screenname);
      Map<String, WebhookSummary> summaries = stats.overview(all.stream().map(Webhook::id).toList(),
          StatsInterval.HOUR.floor(now) - RANGE.toMillis(), now);
      List<OverviewRows.Row> ranked = OverviewRows.rank(all, summaries);
      int pages = Math.max(1, (ranked.size() + PAGE_SIZE - 1) / PAGE_SIZE);
      int current = page == null ? 1 : Math.min(Math.max(page, 1), pages);
      Map<String, Object> model = new HashMap<>();
      model.put("portal", screenname);
      model.put("rows", ranked.subList((current - 1) * PAGE_SIZE, Math.min(ranked.size(), current * PAGE_SIZE)));
      model.put("total", ranked.size());
      model.put("failing", ranked.stream().filter(OverviewRows.Row::failing).count());
      model.put("page", current);
      model.put("pages", pages);
      model.put("base", ConsoleLinks.overview(screenname));
      model.put("stream", ConsoleLinks.failureStream(screenname));
      return this.pages.page(request, "overview", "Webhooks of " + screenname, model);
    });
  }

  /** The sparkline of one webhook's last 24 hours, hourly, as an SVG fragment for its overview row. */
  @Get("/webhooks/{id}/sparkline")
  @RequiresScope(WebhookScope.READ)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> sparkline(@PathVariable String screenname, @PathVariable String id,
      HttpRequest<?> request) {
    return pages.answer(request, ConsoleLinks.overview(screenname), () -> {
      webhooks.get(screenname, id);
      List<StatsBucket> series = lastDay(stats, id, clock.millis());
      return pages.page(request, "sparkline", "Sparkline",
          Map.of("spark", SvgCharts.sparkline(series, 120, 28), "webhookId", id));
    });
  }

  /** The last 24 whole hours and the current one, hourly. */
  static List<StatsBucket> lastDay(DeliveryStats stats, String webhookId, long now) {
    long to = StatsInterval.HOUR.floor(now) + StatsInterval.HOUR.millis();
    return stats.series(webhookId, to - RANGE.toMillis(), to, StatsInterval.HOUR);
  }
}
