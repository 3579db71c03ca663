package io.hookline.queryapi.webhooks.http;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.webhooks.WebhookService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;

/**
 * The webhook endpoints of one portal ({@code screenname}). Maps HTTP to the
 * {@link WebhookService} and back, nothing more; request bodies are read as text and parsed by
 * {@link WebhookRequestReader} so that every error names its field. Runs on the blocking executor
 * because a write waits for Kafka.
 *
 * <p>Every endpoint names the scope it needs ({@link RequiresScope}); the token's portal must be
 * the path's screenname. Reading the current secret needs {@code webhooks.UPDATE}, not READ: a
 * secret lets its holder forge signed deliveries, and a READ token (dashboards, monitoring) must
 * not carry that power, while an UPDATE token could obtain a fresh secret by rotating anyway.
 */
@Controller("/api/v2/{screenname}/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "webhooks")
public class WebhookController {

  private final WebhookService webhooks;

  public WebhookController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @Post
  @RequiresScope(WebhookScope.CREATE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createWebhook", summary = "Create a webhook; the answer holds its signing secret")
  @RequestBody(required = true, description = "url (https), events (names), optional enabled and secret (whsec_...)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
          value = "{\"url\": \"https://example.com/hook\", \"events\": [\"conversation.created\"], \"enabled\": true}")))
  @ApiResponse(responseCode = "201", description = "Created; Location names the new webhook")
  HttpResponse<WebhookJson.Item> create(
      @PathVariable String screenname, @Body @Nullable String body, HttpRequest<?> request) {
    var created = webhooks.create(screenname, WebhookRequestReader.readNew(body));
    URI location = URI.create(request.getUri().getRawPath().replaceAll("/+$", "") + "/" + created.id());
    return HttpResponse.created(WebhookJson.Item.withSecret(created), location);
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "listWebhooks", summary = "The portal's webhooks, oldest first")
  WebhookJson.ItemList list(@PathVariable String screenname, HttpRequest<?> request) {
    return WebhookJson.ItemList.of(requestTarget(request.getUri()), webhooks.list(screenname));
  }

  @Get("/{id}")
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "getWebhook", summary = "One webhook; 404 for an unknown id or another portal's")
  WebhookJson.Item get(@PathVariable String screenname, @PathVariable String id) {
    return WebhookJson.Item.of(webhooks.get(screenname, id));
  }

  @Patch("/{id}")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "updateWebhook", summary = "Change url, events or enabled")
  @RequestBody(required = true, description = "Any of url, events, enabled",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
          value = "{\"enabled\": false}")))
  WebhookJson.Item update(@PathVariable String screenname, @PathVariable String id, @Body @Nullable String body) {
    return WebhookJson.Item.of(webhooks.update(screenname, id, WebhookRequestReader.readChanges(body)));
  }

  @Delete("/{id}")
  @RequiresScope(WebhookScope.DELETE)
  @Operation(operationId = "deleteWebhook", summary = "Delete a webhook")
  @ApiResponse(responseCode = "204", description = "Deleted")
  HttpResponse<Void> delete(@PathVariable String screenname, @PathVariable String id) {
    webhooks.delete(screenname, id);
    return HttpResponse.noContent();
  }

  @Get("/{id}/secret")
  @RequiresScope(WebhookScope.UPDATE)
  @Operation(operationId = "getWebhookSecret", summary = "The current signing secret; needs webhooks.UPDATE")
  WebhookJson.Secret secret(@PathVariable String screenname, @PathVariable String id) {
    return new WebhookJson.Secret(webhooks.secret(screenname, id).value());
  }

  @Post("/{id}/secret/rotate")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.ALL)
  @Operation(operationId = "rotateWebhookSecret", summary = "New secret; the previous one signs too for the grace")
  WebhookJson.RotatedSecret rotateSecret(@PathVariable String screenname, @PathVariable String id) {
    return WebhookJson.RotatedSecret.of(webhooks.rotateSecret(screenname, id));
  }

  private static String requestTarget(URI uri) {
    return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
  }
}
