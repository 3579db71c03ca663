package io.hookline.queryapi.adapter.in.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.avro.Attempt;
import io.hookline.queryapi.adapter.in.http.auth.RequiresScope;
import io.hookline.queryapi.adapter.in.http.auth.WebhookScope;
import io.hookline.queryapi.application.AttemptLog;
import io.hookline.queryapi.application.AttemptQuery;
import io.hookline.queryapi.application.Page;
import io.hookline.queryapi.application.PageCursors;
import io.hookline.queryapi.application.WebhookService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;

/**
 * {@code GET /api/v2/{screenname}/webhooks/{id}/attempts}: a page of the webhook's attempt log,
 * every delivery attempt with its outcome ({@link AttemptJson}). Maps HTTP only: parameters through
 * {@link AttemptsParameters} (400 naming the parameter), the webhook through {@link WebhookService}
 * (404 for unknown ids and other portals' ids), the page from the {@link AttemptLog} (503 with
 * Retry-After while it is not ready), cursors and links through {@link PageLinks}.
 */
@Controller("/api/v2/{screenname}/webhooks/{id}/attempts")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AttemptController {

  private final WebhookService webhooks;
  private final AttemptLog attempts;
  private final PageCursors cursors;

  public AttemptController(WebhookService webhooks, AttemptLog attempts, PageCursors cursors) {
    this.webhooks = webhooks;
    this.attempts = attempts;
    this.cursors = cursors;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  ObjectNode list(@PathVariable String screenname, @PathVariable String id, HttpRequest<?> request) {
    AttemptQuery query = AttemptsParameters.read(id, request.getParameters().asMap(), cursors);
    webhooks.get(screenname, id);
    Page<Attempt> page = attempts.page(query);
    URI uri = request.getUri();
    return PageLinks.of(uri, page, cursors, query.binding())
        .addTo(AttemptJson.page(PageLinks.requestTarget(uri), query, page));
  }
}
