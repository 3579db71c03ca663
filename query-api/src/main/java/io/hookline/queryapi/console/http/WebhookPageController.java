package io.hookline.queryapi.console.http;

import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.console.StatsRange;
import io.hookline.queryapi.console.SvgCharts;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.stats.DeliveryStats;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /console/{portal}/webhooks/{id}}: one webhook, its statistics as charts over a chosen range,
 * its failed executions (the API's filters, cursor paging) and its attempt log (status filter, cursor
 * paging), with the actions the token's scopes allow. Every list is one bounded page.
 */
@Hidden
@Controller("/console/{screenname}/webhooks/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhookPageController {

  static final int FAILED_PAGE = 25;
  static final int ATTEMPTS_PAGE = 25;

  private final ConsolePages pages;
  private final WebhookService webhooks;
  private final FailedExecutionsView failures;
  private final AttemptLog attempts;
  private final DeliveryStats stats;
  private final PageCursors cursors;
  private final Clock clock;

  public WebhookPageController(ConsolePages pages, WebhookService webhooks, FailedExecutionsView failures,
      AttemptLog attempts, DeliveryStats stats, PageCursors cursors, Clock clock) {
    this.pages = pages;
    this.webhooks = webhooks;
    this.failures = failures;
    this.attempts = attempts;
    this.stats = stats;
    this.cursors = cursors;
    this.clock = clock;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> webhook(@PathVariable String screenname, @PathVariable String id,
      HttpRequest<?> request) {
    String self = ConsoleLinks.webhook(screenname, id);
    return pages.answer(request, ConsoleLinks.overview(screenname), () -> {
      WebhookFilters filters = WebhookFilters.read(request);
      FailedExecutionQuery filter = filters.failedFilter(id);
      FailedExecutionQuery failedQuery = new FailedExecutionQuery(id, filter.fromTime(), filter.toTime(),
          filter.events(), FAILED_PAGE, start(filters.cursor(), "cursor", filter.binding()));
      AttemptQuery attemptsFilter = new AttemptQuery(id, 0, Long.MAX_VALUE, filters.statuses(), Set.of(),
          false, ATTEMPTS_PAGE, PageStart.offset(0));
      AttemptQuery attemptsQuery = new AttemptQuery(id, 0, Long.MAX_VALUE, filters.statuses(), Set.of(),
          false, ATTEMPTS_PAGE, start(filters.attemptsCursor(), "attempts_cursor", attemptsFilter.binding()));
      Webhook webhook = webhooks.get(screenname, id);
      long now = clock.millis();
      StatsRange range = filters.range();
      List<StatsBucket> series = stats.series(id, range.from(now), range.to(now), range.interval());
      Page<FailedExecution> failed = failures.page(failedQuery);
      Page<Attempt> log = attempts.page(attemptsQuery);

      Map<String, Object> model = new HashMap<>();
      model.put("portal", screenname);
      model.put("webhook", webhook);
      model.put("self", self);
      model.put("filters", filters);
      model.put("range", range);
      Map<String, String> ranges = new LinkedHashMap<>();
      Arrays.stream(StatsRange.values()).forEach(r -> ranges.put(r.label(),
          self + filters.query(Map.of("range", r.label()))));
      model.put("ranges", ranges);
      model.put("series", series);
      model.put("bars", SvgCharts.bars(series, 600, 160));
      model.put("latency", SvgCharts.latency(series, 600, 120));
      model.put("failed", failed.items());
      model.put("failedNext", link(self, filters, "cursor", failed.next(), filter.binding()));
      model.put("failedPrevious", link(self, filters, "cursor", failed.previous(), filter.binding()));
      model.put("attempts", log.items());
      model.put("attemptsTotal", log.total().isPresent() ? log.total().getAsLong() : -1);
      model.put("attemptsNext", link(self, filters, "attempts_cursor", log.next(), attemptsFilter.binding()));
      model.put("attemptsPrevious", link(self, filters, "attempts_cursor", log.previous(), attemptsFilter.binding()));
      model.put("replayHref", self + "/replay" + filters.failedFilterQuery());
      model.put("stream", ConsoleLinks.failureStream(screenname));
      return pages.page(request, "webhook", "Webhook " + id, model);
    });
  }

  private PageStart start(String cursor, String parameter, String binding) {
    if (cursor == null) {
      return PageStart.offset(0);
    }
    try {
      return cursors.decode(cursor, binding);
    } catch (InvalidFieldException e) {
      throw new InvalidFieldException(parameter,
          e.getMessage().replace("'cursor'", "'" + parameter + "'"));
    }
  }

  private String link(String self, WebhookFilters filters, String parameter, Optional<PageStart> start,
      String binding) {
    return start.map(s -> self + filters.query(Map.of(parameter, cursors.encode(s, binding)))).orElse(null);
  }
}
