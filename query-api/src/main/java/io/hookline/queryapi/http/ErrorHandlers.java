package io.hookline.queryapi.http;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.eventtypes.EventTypeExistsException;
import io.hookline.queryapi.eventtypes.EventTypeNotFoundException;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.RevisionMismatchException;
import io.hookline.queryapi.webhooks.WebhookNotFoundException;
import io.hookline.runtime.SecretCipher.SecretDecryptionException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps what the application reports to HTTP answers with a JSON {@link ErrorBody}. Errors raised by
 * the framework itself (unknown route, wrong method or media type, crashes) are shaped by
 * {@link JsonErrorResponses}.
 */
final class ErrorHandlers {

  private ErrorHandlers() {}

  private static HttpResponse<ErrorBody> answer(HttpStatus status, String code, String message) {
    return HttpResponse.<ErrorBody>status(status).body(new ErrorBody(code, message));
  }

  @Singleton
  static final class InvalidField extends MessageErrorHandler<InvalidFieldException> {
    InvalidField() {
      super(HttpStatus.BAD_REQUEST, "INVALID_PARAMETER");
    }
  }

  @Singleton
  static final class MalformedBody extends MessageErrorHandler<MalformedBodyException> {
    MalformedBody() {
      super(HttpStatus.BAD_REQUEST, "INVALID_JSON");
    }
  }

  @Singleton
  static final class WebhookNotFound extends MessageErrorHandler<WebhookNotFoundException> {
    WebhookNotFound() {
      super(HttpStatus.NOT_FOUND, "WEBHOOK_NOT_FOUND");
    }
  }

  @Singleton
  static final class EventTypeNotFound extends MessageErrorHandler<EventTypeNotFoundException> {
    EventTypeNotFound() {
      super(HttpStatus.NOT_FOUND, "EVENT_TYPE_NOT_FOUND");
    }
  }

  @Singleton
  static final class EventTypeExists extends MessageErrorHandler<EventTypeExistsException> {
    EventTypeExists() {
      super(HttpStatus.CONFLICT, "EVENT_TYPE_EXISTS");
    }
  }

  /** 412 with the webhook's current ETag: a conditional change found another revision. */
  @Singleton
  static final class RevisionMismatch
      implements ExceptionHandler<RevisionMismatchException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, RevisionMismatchException e) {
      return HttpResponse.<ErrorBody>status(HttpStatus.PRECONDITION_FAILED)
          .header(HttpHeaders.ETAG, "\"" + e.current() + "\"")
          .body(new ErrorBody("PRECONDITION_FAILED", e.getMessage()));
    }
  }

  /**
   * The body does not decompress as its Content-Encoding says (Netty decompresses request bodies
   * before the API reads them); the client sent it, so a 400 naming the header, not a 500.
   */
  @Singleton
  static final class UndecodableContent
      implements ExceptionHandler<DecompressionException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, DecompressionException e) {
      return answer(HttpStatus.BAD_REQUEST, "INVALID_CONTENT_ENCODING", "The request body does not decode as its"
          + " 'Content-Encoding' (" + request.getHeaders().get(HttpHeaders.CONTENT_ENCODING) + ") says");
    }
  }

  /**
   * A form body (application/x-www-form-urlencoded, the console's forms) that Netty cannot decode:
   * bad percent-encoding, bytes that are not text. The client sent it: a 400, not a 500.
   */
  @Singleton
  static final class UndecodableForm
      implements ExceptionHandler<HttpPostRequestDecoder.ErrorDataDecoderException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, HttpPostRequestDecoder.ErrorDataDecoderException e) {
      return answer(HttpStatus.BAD_REQUEST, "INVALID_FORM",
          "The request body is not a valid application/x-www-form-urlencoded form");
    }
  }

  /** 503 with Retry-After: the store is expected back; the client should try again. */
  @Singleton
  static final class StoreUnavailable
      implements ExceptionHandler<StoreUnavailableException, HttpResponse<ErrorBody>> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreUnavailable.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, StoreUnavailableException e) {
      LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), e.getMessage(), e.getCause());
      return HttpResponse.<ErrorBody>status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, "1")
          .body(new ErrorBody("SERVICE_UNAVAILABLE", e.getMessage()));
    }
  }

  /**
   * A stored secret does not decrypt: the service runs with another HOOKLINE_SECRETS_KEY than the
   * one that wrote it. An operator must fix the key; the client learns no more than that.
   */
  @Singleton
  static final class SecretUnreadable
      implements ExceptionHandler<SecretDecryptionException, HttpResponse<ErrorBody>> {

    private static final Logger LOG = LoggerFactory.getLogger(SecretUnreadable.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, SecretDecryptionException e) {
      LOG.error("{} {}: {} (is HOOKLINE_SECRETS_KEY the key the secrets were written with?)",
          request.getMethod(), request.getPath(), e.getMessage());
      return answer(HttpStatus.INTERNAL_SERVER_ERROR, "SECRET_UNREADABLE",
          "A stored signing secret cannot be decrypted by this service; its operator must check HOOKLINE_SECRETS_KEY");
    }
  }
}
