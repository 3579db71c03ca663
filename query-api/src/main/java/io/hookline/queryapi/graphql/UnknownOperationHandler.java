package io.hookline.queryapi.graphql;

import graphql.execution.UnknownOperationException;
import io.hookline.queryapi.http.ErrorBody;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A {@code /graphql} request whose {@code operationName} names no operation of its query, or that
 * sends several operations without naming one: graphql-java refuses it before execution with an
 * exception Micronaut would answer 500; it is the client's mistake, a 400 naming
 * {@code operationName}.
 */
@Singleton
final class UnknownOperationHandler implements ExceptionHandler<UnknownOperationException, HttpResponse<ErrorBody>> {

  static final String OPERATION_NAME = "operationName";

  @Override
  public HttpResponse<ErrorBody> handle(HttpRequest request, UnknownOperationException e) {
    return HttpResponse.<ErrorBody>status(HttpStatus.BAD_REQUEST)
        .body(new ErrorBody("INVALID_PARAMETER", "'" + OPERATION_NAME + "': " + e.getMessage()));
  }
}
