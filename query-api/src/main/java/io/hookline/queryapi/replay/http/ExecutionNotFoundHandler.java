package io.hookline.queryapi.replay.http;

import io.hookline.queryapi.http.ErrorBody;
import io.hookline.queryapi.replay.ExecutionNotFoundException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** 404 {@code EXECUTION_NOT_FOUND}: the webhook exists, but has no such unresolved failed execution. */
@Singleton
final class ExecutionNotFoundHandler implements ExceptionHandler<ExecutionNotFoundException, HttpResponse<ErrorBody>> {

  @Override
  public HttpResponse<ErrorBody> handle(HttpRequest request, ExecutionNotFoundException e) {
    return HttpResponse.<ErrorBody>status(HttpStatus.NOT_FOUND).body(new ErrorBody("EXECUTION_NOT_FOUND", e.getMessage()));
  }
}
