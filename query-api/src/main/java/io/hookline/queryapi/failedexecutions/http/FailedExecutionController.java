package io.hookline.queryapi.failedexecutions.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.http.PageLinks;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.webhooks.WebhookService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;

/**
 * {@code GET /api/v2/{screenname}/webhooks/{id}/executions}: a page of the webhook's failed
 * executions in the Zoho SalesIQ shape, plus {@code next_cursor}, {@code previous_cursor},
 * {@code next} and {@code previous} ({@link PageLinks}) after its fields. Maps HTTP only:
 * parameters through {@link ExecutionsParameters} (400 naming the parameter), the webhook through
 * {@link WebhookService} (404 for unknown ids and other portals' ids), the page from the
 * {@link FailedExecutionsView} (503 with Retry-After while it is not ready).
 */
@Controller("/api/v2/{screenname}/webhooks/{id}/executions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "failed executions")
public class FailedExecutionController {

  private final WebhookService webhooks;
  private final FailedExecutionsView failures;
  private final Clock clock;
  private final PageCursors cursors;

  public FailedExecutionController(WebhookService webhooks, FailedExecutionsView failures, Clock clock,
      PageCursors cursors) {
    this.webhooks = webhooks;
    this.failures = failures;
    this.clock = clock;
    this.cursors = cursors;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "listFailedExecutions", summary = "The webhook's failed executions, newest first",
      description = "Executions that failed every attempt and are not resolved yet, in the Zoho SalesIQ shape. Needs"
          + " webhooks.READ.")
  @ApiResponse(responseCode = "200", description = "{url, object: \"list\", data: [failed executions], sync_time,"
      + " next_cursor, previous_cursor, next, previous}",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  ObjectNode list(
      @PathVariable String screenname,
      @PathVariable String id,
      @QueryValue("from_time") @Nullable @Parameter(description = "Oldest last execution time: epoch milliseconds"
          + " or an ISO 8601 date-time with an offset", example = "2019-08-26T17:51:45Z") String fromTime,
      @QueryValue("to_time") @Nullable @Parameter(description = "Newest last execution time: epoch milliseconds"
          + " or an ISO 8601 date-time with an offset", example = "1566841925391") String toTime,
      @QueryValue("events") @Nullable @Parameter(description = "Comma-separated event names; all when absent",
          example = "conversation.created,conversation.operator.replied") String events,
      @QueryValue("limit") @Nullable @Parameter(description = "Page size", schema = @Schema(type = "integer",
          minimum = "5", maximum = "50", defaultValue = "50")) String limit,
      @QueryValue("pageno") @Nullable @Parameter(description = "Page number, from 1", schema = @Schema(
          type = "integer", minimum = "1", defaultValue = "1")) String pageno,
      @QueryValue("cursor") @Nullable @Parameter(description = "Opaque position from a previous page's next_cursor"
          + " or previous_cursor, with the same filters; replaces pageno") String cursor,
      HttpRequest<?> request) {
    FailedExecutionQuery query = ExecutionsParameters.read(id, fromTime, toTime, events, limit, pageno, cursor,
        cursors);
    webhooks.get(screenname, id);
    Page<FailedExecution> page = failures.page(query);
    return PageLinks.answer(request.getUri(), page, cursors, query.binding(),
        url -> FailedExecutionJson.page(url, page.items(), clock.millis()));
  }
}
