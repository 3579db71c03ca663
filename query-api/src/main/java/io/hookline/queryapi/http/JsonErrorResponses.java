package io.hookline.queryapi.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Gives the framework's own errors (unknown route, method not allowed, unsupported media type,
 * requests that are not valid HTTP, unexpected exceptions) the API's error shape,
 * {@code {"code","message"}}, instead of Micronaut's default body. The code is the HTTP status name;
 * a 500 never shows internal details.
 *
 * <p>A request Netty could not decode is answered for what was wrong with it: 414 for a request line
 * over {@code micronaut.server.netty.max-initial-line-length}, 431 for headers over
 * {@code max-header-size} (Micronaut answers both 413, as if the body were too large), and 400 with
 * the decoder's reason for anything else (a bad Content-Length, a NUL in a header value).
 */
@Singleton
public class JsonErrorResponses implements ErrorResponseProcessor<ErrorBody> {

  /** The most of a decoder's reason repeated in an answer; it may quote the request's own bytes. */
  private static final int SHOWN_CHARS = 200;

  @Override
  public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
    Optional<Throwable> undecodable = decoderFailure(context.getRequest());
    if (undecodable.isPresent()) {
      return undecodable(undecodable.get(), response);
    }
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
      if (status == HttpStatus.NOT_FOUND) {
        message = "No resource at " + context.getRequest().getMethod() + " " + context.getRequest().getPath();
      }
    }
    return json(response, status, message);
  }

  private static MutableHttpResponse<ErrorBody> undecodable(Throwable cause, MutableHttpResponse<?> response) {
    if (cause instanceof TooLongHttpLineException) {
      return json(response, HttpStatus.REQUEST_URI_TOO_LONG,
          "The request line (method, path and query) is too long; send a shorter URI");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return json(response, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "The request headers are too large (a bearer token of a few KB fits)");
    }
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return json(response, HttpStatus.BAD_REQUEST, "The request is not valid HTTP/1.1: " + printable(reason));
  }

  /** Why Netty could not decode the request, when it could not. */
  private static Optional<Throwable> decoderFailure(HttpRequest<?> request) {
    if (request instanceof NettyHttpRequest<?> netty && netty.getNativeRequest().decoderResult().isFailure()) {
      return Optional.of(netty.getNativeRequest().decoderResult().cause());
    }
    return Optional.empty();
  }

  private static String printable(String text) {
    StringBuilder b = new StringBuilder();
    text.codePoints().limit(SHOWN_CHARS).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return text.length() > SHOWN_CHARS ? b + "..." : b.toString();
  }

  private static MutableHttpResponse<ErrorBody> json(MutableHttpResponse<?> response, HttpStatus status,
      String message) {
    return response.status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(new ErrorBody(status.name(), message));
  }
}
