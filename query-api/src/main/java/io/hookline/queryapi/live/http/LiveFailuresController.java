package io.hookline.queryapi.live.http;

import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.live.LiveFailureStreams;
import io.hookline.queryapi.live.StreamPosition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.sse.Event;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/v2/{screenname}/failures/stream}: the portal's new failed executions and
 * resolutions as Server-Sent Events ({@link LiveEventJson}), from now on, or from the position a
 * {@code Last-Event-ID} names (400 naming it when it is not one). Maps HTTP only: the streams are
 * {@link LiveFailureStreams}' (503 with Retry-After when this instance serves its maximum).
 */
@Controller("/api/v2/{screenname}/failures/stream")
@Tag(name = "failed executions")
public class LiveFailuresController {

  static final String LAST_EVENT_ID = "Last-Event-ID";
  /** The most of a refused header value repeated in the answer. */
  private static final int SHOWN_CHARS = 64;

  private final LiveFailureStreams streams;

  public LiveFailuresController(LiveFailureStreams streams) {
    this.streams = streams;
  }

  @Get(produces = MediaType.TEXT_EVENT_STREAM)
  @RequiresScope(WebhookScope.READ)
  @Operation(operationId = "streamFailures", summary = "The portal's new failed executions, live (Server-Sent Events)",
      description = "Every execution of the portal's webhooks that fails for good from now on, as `event: failure`"
          + " with the same JSON as an item of the failed executions list, and every failed execution a retry"
          + " delivered as `event: resolved` with {id, webhook_id}. Each event has an `id:`; a client that reconnects"
          + " with it as Last-Event-ID (EventSource does so itself) gets every event it missed, no more, while the"
          + " failure is still in the failed executions. Events without data (a comment and an id) are heartbeats,"
          + " every 15 s by default. Needs webhooks.READ.")
  @ApiResponse(responseCode = "200", description = "An endless text/event-stream",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "400", description = "Last-Event-ID is not an id of this stream")
  @ApiResponse(responseCode = "503", description = "This instance serves its maximum of live streams"
      + " (HOOKLINE_LIVE_STREAMS_MAX); try again after Retry-After seconds")
  Publisher<Event<String>> stream(
      @PathVariable String screenname,
      @Header(LAST_EVENT_ID) @Nullable @Parameter(name = LAST_EVENT_ID, in = ParameterIn.HEADER,
          description = "The id of the last event received: the stream resumes after it") String lastEventId) {
    return Flux.from(streams.open(screenname, resumeFrom(lastEventId))).map(LiveEventJson::event);
  }

  private static StreamPosition resumeFrom(String lastEventId) {
    if (lastEventId == null) {
      return null;
    }
    try {
      return StreamPosition.parse(lastEventId.strip());
    } catch (IllegalArgumentException e) {
      String shown = lastEventId.length() > SHOWN_CHARS ? lastEventId.substring(0, SHOWN_CHARS) + "..." : lastEventId;
      throw new InvalidFieldException(LAST_EVENT_ID, "'" + LAST_EVENT_ID + "' must be the id of an event of this"
          + " stream, was '" + shown + "': " + e.getMessage());
    }
  }
}
