package io.hookline.queryapi.replay.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.failedexecutions.http.ExecutionsParameters;
import io.hookline.queryapi.replay.ExecutionRetryService;
import io.hookline.queryapi.replay.ExecutionRetryService.Resent;
import io.hookline.queryapi.replay.domain.Resend;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Retry now and bulk replay of a webhook's failed executions (needs {@code webhooks.UPDATE}):
 *
 * <ul>
 *   <li>{@code POST .../executions/{execution_id}/retry}: 202 {@code {"id", "attempt", "queued": true}}
 *       once the re-send is queued; 404 {@code EXECUTION_NOT_FOUND} when the webhook has no such
 *       failed execution.
 *   <li>{@code POST .../executions/retry?from_time=&to_time=&events=}: the filter of
 *       {@code GET .../executions} (400 naming a bad parameter); 202 {@code {"queued", "ids",
 *       "more"}} once every re-send is queued, plus {@code next_to_time} when more than
 *       {@link ExecutionRetryService#MAX_BATCH} matched (call again with that {@code to_time}).
 * </ul>
 *
 * Unknown webhooks and other portals' webhooks are 404 {@code WEBHOOK_NOT_FOUND}; a view that is not
 * ready is 503 with Retry-After. Maps HTTP only; {@link ExecutionRetryService} does the work.
 */
@Controller("/api/v2/{screenname}/webhooks/{id}/executions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExecutionRetryController {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ExecutionRetryService retries;

  public ExecutionRetryController(ExecutionRetryService retries) {
    this.retries = retries;
  }

  @Post("/{execution_id}/retry")
  @RequiresScope(WebhookScope.UPDATE)
  HttpResponse<ObjectNode> retryOne(
      @PathVariable String screenname,
      @PathVariable String id,
      @PathVariable("execution_id") String executionId) {
    Resend queued = retries.retry(screenname, id, executionId);
    ObjectNode body = NODES.objectNode();
    body.put("id", queued.executionId());
    body.put("attempt", queued.attempt());
    body.put("queued", true);
    return HttpResponse.accepted().body(body);
  }

  @Post("/retry")
  @RequiresScope(WebhookScope.UPDATE)
  HttpResponse<ObjectNode> retryMatching(
      @PathVariable String screenname,
      @PathVariable String id,
      @QueryValue("from_time") @Nullable String fromTime,
      @QueryValue("to_time") @Nullable String toTime,
      @QueryValue("events") @Nullable String events) {
    Resent resent = retries.retryMatching(screenname, ExecutionsParameters.filter(id, fromTime, toTime, events));
    ObjectNode body = NODES.objectNode();
    body.put("queued", resent.requests().size());
    ArrayNode ids = body.putArray("ids");
    resent.requests().forEach(r -> ids.add(r.executionId()));
    body.put("more", resent.nextToTime().isPresent());
    resent.nextToTime().ifPresent(t -> body.put("next_to_time", Long.toString(t)));
    return HttpResponse.accepted().body(body);
  }
}
