package io.hookline.queryapi.live.http;

import io.hookline.queryapi.http.ErrorBody;
import io.hookline.queryapi.live.LiveStreamsFullException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** 503 {@code LIVE_STREAMS_FULL} with Retry-After: this instance serves its maximum of live streams. */
@Singleton
final class LiveStreamsFullHandler implements ExceptionHandler<LiveStreamsFullException, HttpResponse<ErrorBody>> {

  /** Seconds a refused client waits; streams end as clients leave, so soon. */
  static final String RETRY_AFTER_SECONDS = "5";

  @Override
  public HttpResponse<ErrorBody> handle(HttpRequest request, LiveStreamsFullException e) {
    return HttpResponse.<ErrorBody>status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(new ErrorBody("LIVE_STREAMS_FULL", e.getMessage()));
  }
}
