package io.hookline.queryapi.attempts.peer;

import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.queryapi.webhooks.WebhookService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;

/**
 * {@code GET /internal/v1/{screenname}/webhooks/{id}/attempts}: another query-api instance asking
 * this one for an attempt-log page from its copy of the webhook's partition (see
 * {@link AttemptsPeer}). Like the failed-executions route: the caller's bearer token with the READ
 * scope for the portal, 404 for another portal's webhook, answered from this instance's copy or
 * with 503, never forwarded again.
 */
@Controller(PeerProtocol.INTERNAL_PREFIX + "{screenname}/webhooks/{id}/" + AttemptsPeer.VIEW)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InternalAttemptController {

  private final WebhookService webhooks;
  private final AttemptLog attempts;
  private final AttemptsPeer peer;

  public InternalAttemptController(WebhookService webhooks, AttemptLog attempts, AttemptsPeer peer) {
    this.webhooks = webhooks;
    this.attempts = attempts;
    this.peer = peer;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  @Parameter(name = "from_time", in = ParameterIn.QUERY, required = true, description = "Epoch milliseconds")
  @Parameter(name = "to_time", in = ParameterIn.QUERY, required = true, description = "Epoch milliseconds")
  @Parameter(name = "events", in = ParameterIn.QUERY, description = "Comma-separated event names")
  @Parameter(name = "limit", in = ParameterIn.QUERY, required = true, description = "Page size, positive")
  @Parameter(name = "start", in = ParameterIn.QUERY, required = true,
      description = "offset:N, after:<base64url> or before:<base64url>")
  @Parameter(name = "status", in = ParameterIn.QUERY, description = "Comma-separated SENT, ERROR, TIMEOUT")
  @Parameter(name = "order", in = ParameterIn.QUERY, description = "created_at or -created_at")
  @Parameter(name = "execution_id", in = ParameterIn.QUERY, description = "Only this execution's attempts")
  byte[] page(@PathVariable String screenname, @PathVariable String id, HttpRequest<?> request) {
    AttemptQuery query = peer.query(id, request.getParameters()::get);
    webhooks.get(screenname, id);
    return peer.answer(attempts.page(query));
  }
}
