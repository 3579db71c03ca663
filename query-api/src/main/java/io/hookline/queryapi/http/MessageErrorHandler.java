package io.hookline.queryapi.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;

/**
 * Answers an exception the client caused with a fixed status and code and the exception's own
 * message, which names what was wrong ({@link ErrorBody}). One subclass per exception type: Micronaut
 * picks a handler by the type it handles.
 */
public abstract class MessageErrorHandler<E extends Exception>
    implements ExceptionHandler<E, HttpResponse<ErrorBody>> {

  private final HttpStatus status;
  private final String code;

  protected MessageErrorHandler(HttpStatus status, String code) {
    this.status = status;
    this.code = code;
  }

  @Override
  public HttpResponse<ErrorBody> handle(HttpRequest request, E e) {
    return HttpResponse.<ErrorBody>status(status).body(new ErrorBody(code, e.getMessage()));
  }
}
