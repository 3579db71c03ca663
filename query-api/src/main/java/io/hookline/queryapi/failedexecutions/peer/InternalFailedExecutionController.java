package io.hookline.queryapi.failedexecutions.peer;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
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
 * {@code GET /internal/v1/{screenname}/webhooks/{id}/failed-executions}: another query-api
 * instance asking this one for a page from its copy of the webhook's partition (see
 * {@link FailedExecutionsPeer}). Not open: it needs the caller's bearer token with the READ scope for
 * the portal, like the public route, and answers 404 for another portal's webhook. Being a forwarded
 * request, it is answered from this instance's copy or with 503, never forwarded again. The page
 * route also accepts the UPDATE scope and the lookup route the READ scope, because bulk replay and
 * retry-now (UPDATE) read the view through them.
 */
@Controller(PeerProtocol.INTERNAL_PREFIX + "{screenname}/webhooks/{id}/" + FailedExecutionsPeer.VIEW)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InternalFailedExecutionController {

  private final WebhookService webhooks;
  private final FailedExecutionsView failures;
  private final FailedExecutionsPeer peer;

  public InternalFailedExecutionController(WebhookService webhooks, FailedExecutionsView failures,
      FailedExecutionsPeer peer) {
    this.webhooks = webhooks;
    this.failures = failures;
    this.peer = peer;
  }

  @Get
  @RequiresScope(value = WebhookScope.READ, orAnyOf = WebhookScope.UPDATE)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  @Parameter(name = "from_time", in = ParameterIn.QUERY, required = true, description = "Epoch milliseconds")
  @Parameter(name = "to_time", in = ParameterIn.QUERY, required = true, description = "Epoch milliseconds")
  @Parameter(name = "events", in = ParameterIn.QUERY, description = "Comma-separated event names")
  @Parameter(name = "limit", in = ParameterIn.QUERY, required = true, description = "Page size, positive")
  @Parameter(name = "start", in = ParameterIn.QUERY, required = true,
      description = "offset:N, after:<base64url> or before:<base64url>")
  byte[] page(@PathVariable String screenname, @PathVariable String id, HttpRequest<?> request) {
    FailedExecutionQuery query = peer.query(id, request.getParameters()::get);
    webhooks.get(screenname, id);
    return peer.answer(failures.page(query));
  }

  /** One failed execution, for retry-now on an instance that does not own the webhook's partition. */
  @Get("/{executionId}")
  @RequiresScope(value = WebhookScope.UPDATE, orAnyOf = WebhookScope.READ)
  @Produces(PeerProtocol.RECORDS_MEDIA_TYPE)
  byte[] find(@PathVariable String screenname, @PathVariable String id, @PathVariable String executionId) {
    webhooks.get(screenname, id);
    return peer.answer(failures.find(id, executionId));
  }
}
