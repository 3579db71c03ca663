package io.hookline.queryapi.webhooks.http;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.webhooks.IfMatch;
import io.hookline.queryapi.webhooks.WebhookService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
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
 *
 * <p>Answers that show one webhook carry its strong {@code ETag} (its revision); a change, rotation
 * or deletion with {@code If-Match} is applied only to that revision, else 412 with the current
 * ETag ({@link EntityTags}). Without If-Match a change still never overwrites another it did not
 * see: the service applies it to the latest version.
 */
@Controller("/api/v2/{screenname}/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "webhooks")
public class WebhookController {

  private static final String ETAG = "The webhook's revision as a strong entity tag, e.g. \"7\": send it as If-Match"
      + " to change the webhook only if nobody changed it since";
  private static final String IF_MATCH = "Apply only if the webhook is still at this ETag (or any of a list; * for"
      + " any); else 412. Without it the change applies to the latest version";
  private static final String PRECONDITION_FAILED = "If-Match does not name the webhook's current ETag: it changed"
      + " since it was read. The answer's ETag is the current one; read the webhook again and repeat if still wanted";

  private final WebhookService webhooks;

  public WebhookController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @Post
  @RequiresScope(WebhookScope.CREATE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createWebhook", summary = "Create a webhook; the answer holds its signing secret")
  @RequestBody(required = true, description = "url (https), events (names; order.* matches every event named"
      + " order.<anything>, * every event), optional enabled, secret (whsec_...), rate_limit (deliveries per second,"
      + " 1 to 100000, over all dispatcher instances; null or absent: unlimited), headers ({name: value}) and"
      + " ordering (\"key\": each event key's executions in publish order; null or absent: unordered)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
          value = "{\"url\": \"https://example.com/hook\", \"events\": [\"conversation.created\"], \"enabled\": true}")))
  @ApiResponse(responseCode = "201", description = "Created; Location names the new webhook", headers =
      @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.ETAG, description = ETAG,
          schema = @Schema(type = "string")))
  HttpResponse<WebhookJson.Item> create(
      @PathVariable String screenname, @Body @Nullable String body, HttpRequest<?> request) {
    var created = webhooks.create(screenname, WebhookRequestReader.readNew(body));
    URI location = URI.create(request.getUri().getRawPath().replaceAll("/+$", "") + "/" + created.id());
    return HttpResponse.created(WebhookJson.Item.withSecret(created), location).header(HttpHeaders.ETAG,
        EntityTags.of(created));
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
  @ApiResponse(responseCode = "200", description = "The webhook", headers =
      @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.ETAG, description = ETAG,
          schema = @Schema(type = "string")))
  HttpResponse<WebhookJson.Item> get(@PathVariable String screenname, @PathVariable String id) {
    var webhook = webhooks.get(screenname, id);
    return HttpResponse.ok(WebhookJson.Item.of(webhook)).header(HttpHeaders.ETAG, EntityTags.of(webhook));
  }

  @Patch("/{id}")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "updateWebhook", summary = "Change url, events, enabled, rate_limit, headers or ordering")
  @RequestBody(required = true, description = "Any of url, events, enabled, rate_limit (deliveries per second, 1 to"
      + " 100000; null removes the limit), headers (replaces every custom header; {} removes them), ordering"
      + " (\"key\" or null: unordered)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
          value = "{\"enabled\": false}")))
  @ApiResponse(responseCode = "200", description = "The changed webhook", headers =
      @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.ETAG, description = ETAG,
          schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED)
  HttpResponse<WebhookJson.Item> update(@PathVariable String screenname, @PathVariable String id,
      @Body @Nullable String body, @Parameter(hidden = true) HttpHeaders headers,
      @Header(EntityTags.IF_MATCH) @Nullable @Parameter(name = EntityTags.IF_MATCH, in = ParameterIn.HEADER,
          description = IF_MATCH) String ifMatch) {
    var updated = webhooks.update(screenname, id, WebhookRequestReader.readChanges(body), ifMatch(headers));
    return HttpResponse.ok(WebhookJson.Item.of(updated)).header(HttpHeaders.ETAG, EntityTags.of(updated));
  }

  @Delete("/{id}")
  @RequiresScope(WebhookScope.DELETE)
  @Operation(operationId = "deleteWebhook", summary = "Delete a webhook")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED)
  HttpResponse<Void> delete(@PathVariable String screenname, @PathVariable String id,
      @Parameter(hidden = true) HttpHeaders headers,
      @Header(EntityTags.IF_MATCH) @Nullable @Parameter(name = EntityTags.IF_MATCH, in = ParameterIn.HEADER,
          description = IF_MATCH) String ifMatch) {
    webhooks.delete(screenname, id, ifMatch(headers));
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
  @ApiResponse(responseCode = "200", description = "The new secret", headers =
      @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.ETAG, description = ETAG,
          schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED)
  HttpResponse<WebhookJson.RotatedSecret> rotateSecret(@PathVariable String screenname, @PathVariable String id,
      @Parameter(hidden = true) HttpHeaders headers,
      @Header(EntityTags.IF_MATCH) @Nullable @Parameter(name = EntityTags.IF_MATCH, in = ParameterIn.HEADER,
          description = IF_MATCH) String ifMatch) {
    var rotated = webhooks.rotateSecret(screenname, id, ifMatch(headers));
    return HttpResponse.ok(WebhookJson.RotatedSecret.of(rotated)).header(HttpHeaders.ETAG, EntityTags.of(rotated));
  }

  /** Every If-Match header of the request, as one list (a client may split it over several). */
  private static IfMatch ifMatch(HttpHeaders headers) {
    return EntityTags.ifMatch(headers.getAll(EntityTags.IF_MATCH));
  }

  private static String requestTarget(URI uri) {
    return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
  }
}
