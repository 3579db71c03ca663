package io.hookline.queryapi.stats.peer;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.stats.DeliveryStats;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.view.peer.PeerParameters;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The internal routes another query-api instance asks for the statistics this one holds (see
 * {@link StatsPeer}): like the other views' internal routes, the caller's bearer token with the
 * READ scope for the portal, 404 for a webhook of another portal, answered from this instance's copy
 * or with 503, never forwarded again.
 */
@Controller(PeerProtocol.INTERNAL_PREFIX + "{screenname}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InternalStatsController {

  private final WebhookService webhooks;
  private final DeliveryStats stats;

  public InternalStatsController(WebhookService webhooks, DeliveryStats stats) {
    this.webhooks = webhooks;
    this.stats = stats;
  }

  @Get("/webhooks/{id}/" + StatsPeer.VIEW)
  @RequiresScope(WebhookScope.READ)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  byte[] series(@PathVariable String screenname, @PathVariable String id, @QueryValue("from_time") String from,
      @QueryValue("to_time") String to, @QueryValue String interval) {
    StatsInterval step = StatsInterval.ofLabel(interval)
        .orElseThrow(() -> new InvalidFieldException("interval", "'interval' must be 1m, 5m, 1h or 1d"));
    long fromMillis = PeerParameters.epochMillis("from_time", from);
    long toMillis = PeerParameters.epochMillis("to_time", to);
    // The public route checked the range; a caller of this one may not have (one step per point is built).
    long points = step.points(fromMillis, toMillis);
    if (fromMillis > toMillis || points < 0 || points > StatsInterval.MAX_POINTS) {
      throw new InvalidFieldException("interval", "'interval' " + step.label() + " gives more than "
          + StatsInterval.MAX_POINTS + " points from 'from_time' to 'to_time', or 'from_time' is after 'to_time'");
    }
    webhooks.get(screenname, id);
    return StatsWire.series(stats.series(id, fromMillis, toMillis, step));
  }

  @Get("/webhooks/{id}/" + StatsPeer.VIEW + "/" + StatsPeer.TOTALS)
  @RequiresScope(WebhookScope.READ)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  byte[] totals(@PathVariable String screenname, @PathVariable String id, @QueryValue("from_time") String from,
      @QueryValue("to_time") String to) {
    long fromMillis = PeerParameters.epochMillis("from_time", from);
    long toMillis = PeerParameters.epochMillis("to_time", to);
    webhooks.get(screenname, id);
    return StatsWire.totals(stats.totals(id, fromMillis, toMillis));
  }

  @Post("/" + StatsPeer.VIEW)
  @RequiresScope(WebhookScope.READ)
  @Consumes(PeerProtocol.RECORDS_MEDIA_TYPE)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  byte[] overview(@PathVariable String screenname, @Body byte[] body) {
    StatsWire.OverviewQuestion question;
    try {
      question = StatsWire.readQuestion(body);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("body", "'body' is not a statistics question (" + e.getMessage() + ")");
    }
    Set<String> portalIds = webhooks.list(screenname).stream().map(Webhook::id).collect(Collectors.toSet());
    // Ids of other portals are refused like unknown ones (404), as on every route.
    question.webhookIds().stream().filter(id -> !portalIds.contains(id)).findFirst()
        .ifPresent(id -> webhooks.get(screenname, id));
    return StatsWire.summaries(stats.overview(question.webhookIds(), question.from(), question.to()).values());
  }
}
