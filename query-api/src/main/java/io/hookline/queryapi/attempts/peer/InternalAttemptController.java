package io.hookline.queryapi.attempts.peer;

import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.view.peer.PeerPages;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.queryapi.webhooks.WebhookService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /internal/v1/{screenname}/webhooks/{id}/attempts}: another query-api instance asking
 * this one for an attempt-log page from its copy of the webhook's partition (see
 * {@link PeerProtocol}, {@link PeerPages}). Like the failed-executions route: the caller's bearer
 * token with the READ scope for the portal, 404 for another portal's webhook, answered from this
 * instance's copy or with 503, never forwarded again.
 */
@Controller(PeerProtocol.INTERNAL_PREFIX + "{screenname}/webhooks/{id}/" + AttemptsPeer.VIEW)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InternalAttemptController {

  private final WebhookService webhooks;
  private final AttemptLog attempts;

  public InternalAttemptController(WebhookService webhooks, AttemptLog attempts) {
    this.webhooks = webhooks;
    this.attempts = attempts;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  byte[] page(
      @PathVariable String screenname,
      @PathVariable String id,
      @QueryValue("from_time") @Nullable String fromTime,
      @QueryValue("to_time") @Nullable String toTime,
      @QueryValue("status") @Nullable String statuses,
      @QueryValue("events") @Nullable String events,
      @QueryValue("order") @Nullable String order,
      @QueryValue("limit") @Nullable String limit,
      @QueryValue(PeerPages.START) @Nullable String start) {
    AttemptQuery query = AttemptsPeer.query(id, fromTime, toTime, statuses, events, order, limit, start);
    webhooks.get(screenname, id);
    return AttemptsPeer.encode(attempts.page(query));
  }
}
