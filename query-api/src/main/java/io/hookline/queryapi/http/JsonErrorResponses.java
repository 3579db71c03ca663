package io.hookline.queryapi.http;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Gives the framework's own errors (unknown route, method not allowed, unsupported media type,
 * unexpected exceptions) the API's error shape, {@code {"code","message"}}, instead of Micronaut's
 * default body. The code is the HTTP status name; a 500 never shows internal details.
 */
@Singleton
public class JsonErrorResponses implements ErrorResponseProcessor<ErrorBody> {

  @Override
  public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
    HttpStatus status = response.status();
    String message;
    if (status.getCode() >= 500) {
      message = status == HttpStatus.INTERNAL_SERVER_ERROR ? "Internal server error" : status.getReason();
    } else {
      message = context.getErrors().stream()
          .map(Error::getMessage)
          .filter(m -> m != null && !m.isBlank())
          .findFirst()
          .orElse(status.getReason());
      if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE && message.equals(status.getReason())) {
        // Netty refused the request line or headers before any body was read.
        message = "The request line or headers are too large";
      }
      if (status == HttpStatus.NOT_FOUND) {
        message = "No resource at " + context.getRequest().getMethod() + " " + context.getRequest().getPath();
      }
    }
    return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(new ErrorBody(status.name(), message));
  }
}
