package io.hookline.queryapi.eventtypes.http;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.eventtypes.EventTypeService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The event types of one portal ({@code screenname}): maps HTTP to the {@link EventTypeService}.
 * Same scopes as the webhooks (an event type is part of a portal's webhook configuration): reading
 * needs {@code webhooks.READ}, creating {@code webhooks.CREATE}, replacing {@code webhooks.UPDATE},
 * deleting {@code webhooks.DELETE}; the token's portal must be the path's. Runs on the blocking
 * executor because a write waits for Kafka.
 */
@Controller("/api/v2/{screenname}/event-types")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "event types")
public class EventTypeController {

  private static final String EXAMPLE = "{\"name\": \"order.created\", \"description\": \"An order was placed\","
      + " \"schema\": {\"type\": \"object\", \"required\": [\"order_id\"],"
      + " \"properties\": {\"order_id\": {\"type\": \"string\"}}}}";

  private final EventTypeService types;

  public EventTypeController(EventTypeService types) {
    this.types = types;
  }

  @Post
  @RequiresScope(WebhookScope.CREATE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createEventType", summary = "Create an event type, optionally with a JSON Schema that"
      + " every event of the type must match (else it goes to the invalid-events topic and is delivered to no one)")
  @RequestBody(required = true, description = "name (exact event name), optional description and schema (JSON Schema"
      + " draft 2020-12, checked: 400 naming 'schema' when it is not a valid schema)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(value = EXAMPLE)))
  @ApiResponse(responseCode = "201", description = "Created; Location names it")
  @ApiResponse(responseCode = "409", description = "The portal has an event type of that name; change it with PUT")
  HttpResponse<EventTypeJson.Item> create(@PathVariable String screenname, @Body @Nullable String body,
      HttpRequest<?> request) {
    EventTypeRequestReader.Fields fields = EventTypeRequestReader.readNew(body);
    var created = types.create(screenname, fields.name(), fields.description(), fields.schema());
    // A name may hold any visible character ('%', '?', '#' included): encoded as one path segment.
    String segment = URLEncoder.encode(created.name(), StandardCharsets.UTF_8).replace("+", "%20");
    URI location = URI.create(request.getUri().getRawPath().replaceAll("/+$", "") + "/" + segment);
    return HttpResponse.created(EventTypeJson.Item.of(created), location);
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "listEventTypes", summary = "The portal's event types, by name")
  EventTypeJson.ItemList list(@PathVariable String screenname, HttpRequest<?> request) {
    return EventTypeJson.ItemList.of(request.getUri().getRawPath(), types.list(screenname));
  }

  @Get("/{name}")
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "getEventType", summary = "One event type; 404 for an unknown name")
  EventTypeJson.Item get(@PathVariable String screenname, @PathVariable String name) {
    return EventTypeJson.Item.of(types.get(screenname, name));
  }

  @Put("/{name}")
  @RequiresScope(WebhookScope.UPDATE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "replaceEventType", summary = "Replace the description and schema of an event type"
      + " (an absent one is removed); events published after the answer are validated against the new schema")
  @RequestBody(required = true, description = "description and schema, as on create",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
          value = "{\"description\": \"An order was placed\", \"schema\": {\"type\": \"object\"}}")))
  EventTypeJson.Item replace(@PathVariable String screenname, @PathVariable String name,
      @Body @Nullable String body) {
    EventTypeRequestReader.Fields fields = EventTypeRequestReader.readReplacement(body);
    return EventTypeJson.Item.of(types.replace(screenname, name, fields.description(), fields.schema()));
  }

  @Delete("/{name}")
  @RequiresScope(WebhookScope.DELETE)
  @Operation(operationId = "deleteEventType", summary = "Delete an event type: its events are no longer validated")
  @ApiResponse(responseCode = "204", description = "Deleted")
  HttpResponse<Void> delete(@PathVariable String screenname, @PathVariable String name) {
    types.delete(screenname, name);
    return HttpResponse.noContent();
  }
}
