package io.hookline.queryapi.attempts.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.http.PageLinks;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.webhooks.WebhookService;
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

/**
 * {@code GET /api/v2/{screenname}/webhooks/{id}/attempts}: a page of the webhook's attempt log,
 * every delivery attempt with its outcome ({@link AttemptJson}). Maps HTTP only: parameters through
 * {@link AttemptsParameters} (400 naming the parameter), the webhook through {@link WebhookService}
 * (404 for unknown ids and other portals' ids), the page from the {@link AttemptLog} (503 with
 * Retry-After while it is not ready), cursors and links through {@link PageLinks}.
 */
@Controller("/api/v2/{screenname}/webhooks/{id}/attempts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "attempt log")
public class AttemptController {

  private static final String TIME = "epoch milliseconds, an ISO 8601 date-time (no offset: UTC) or a YYYY-MM-DD"
      + " day (UTC)";

  private final WebhookService webhooks;
  private final AttemptLog attempts;
  private final PageCursors cursors;

  public AttemptController(WebhookService webhooks, AttemptLog attempts, PageCursors cursors) {
    this.webhooks = webhooks;
    this.attempts = attempts;
    this.cursors = cursors;
  }

  // Declared on the method because the parameters are read from the request as a whole (repeated
  // values, aliases); micronaut-openapi documents such parameters without a type (schema: object).
  @Get
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "listAttempts", summary = "Every delivery attempt of the webhook, newest first",
      description = "Each attempt with its execution, event, attempt number, trigger, status, HTTP status, duration,"
          + " times, response excerpt, error, and request_headers: the Standard Webhooks headers sent (webhook-id,"
          + " webhook-timestamp, webhook-signature), null when no request was made (not signed, target refused,"
          + " circuit open). Filters combine; a bad value is a 400 naming the parameter. Needs webhooks.READ.")
  @Parameter(name = "status", in = ParameterIn.QUERY, description = "SENT, ERROR or TIMEOUT; repeat the parameter"
      + " or separate with commas", example = "ERROR")
  @Parameter(name = "events", in = ParameterIn.QUERY, description = "Event names, comma-separated or repeated",
      example = "conversation.created")
  @Parameter(name = "from_time", in = ParameterIn.QUERY, description = "Oldest created_at (inclusive): " + TIME
      + "; start_date is the same bound")
  @Parameter(name = "start_date", in = ParameterIn.QUERY, description = "Oldest created_at (inclusive): " + TIME,
      example = "2026-11-01")
  @Parameter(name = "to_time", in = ParameterIn.QUERY, description = "Newest created_at (inclusive): " + TIME
      + "; a day means its end; till_time and end_date are the same bound")
  @Parameter(name = "till_time", in = ParameterIn.QUERY, description = "Newest created_at (inclusive): " + TIME)
  @Parameter(name = "end_date", in = ParameterIn.QUERY, description = "Newest created_at (inclusive): " + TIME,
      example = "2026-11-30")
  @Parameter(name = "order", in = ParameterIn.QUERY, description = "-created_at (newest first, the default) or"
      + " created_at (oldest first)")
  @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Page size, 1 to 500, default 50", example = "50")
  @Parameter(name = "offset", in = ParameterIn.QUERY, description = "Matching attempts to skip, default 0",
      example = "0")
  @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "Opaque position from a previous page's"
      + " next_cursor or previous_cursor, with the same filters and order; replaces offset")
  @ApiResponse(responseCode = "200", description = "{url, object: \"list\", data: [attempts], pagination: {total,"
      + " limit, offset}, next_cursor, previous_cursor, next, previous}",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  ObjectNode list(@PathVariable String screenname, @PathVariable String id, HttpRequest<?> request) {
    AttemptQuery query = AttemptsParameters.read(id, request.getParameters().asMap(), cursors);
    webhooks.get(screenname, id);
    Page<Attempt> page = attempts.page(query);
    return PageLinks.answer(request.getUri(), page, cursors, query.binding(),
        url -> AttemptJson.page(url, query, page));
  }
}
