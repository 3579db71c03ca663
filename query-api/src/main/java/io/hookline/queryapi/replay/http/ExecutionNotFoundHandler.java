package io.hookline.queryapi.replay.http;

import io.hookline.queryapi.http.MessageErrorHandler;
import io.hookline.queryapi.replay.ExecutionNotFoundException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/** 404 {@code EXECUTION_NOT_FOUND}: the webhook exists, but has no such unresolved failed execution. */
@Singleton
final class ExecutionNotFoundHandler extends MessageErrorHandler<ExecutionNotFoundException> {

  ExecutionNotFoundHandler() {
    super(HttpStatus.NOT_FOUND, "EXECUTION_NOT_FOUND");
  }
}
