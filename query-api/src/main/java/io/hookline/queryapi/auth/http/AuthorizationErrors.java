package io.hookline.queryapi.auth.http;

import io.hookline.queryapi.http.ErrorBody;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The answers to refused requests, in the API's JSON error shape with the RFC 6750 challenge: 401
 * {@code UNAUTHORIZED} when no valid token came (missing, malformed, expired, wrongly signed; the
 * reason is not told apart, so nothing is learnt about keys; a correctly signed token of another
 * issuer or audience is told so, {@link IssuerAndAudience}), 403 {@code FORBIDDEN} when a valid
 * token lacks the scope or the portal, naming which.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrors implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

  static final String REALM = "Bearer realm=\"hookline\"";

  @Override
  public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
    if (!e.isForbidden()) {
      boolean presented = request.getHeaders().getAuthorization().isPresent();
      String message = request.getAttribute(IssuerAndAudience.REFUSAL, String.class)
          .orElse(presented
              ? "The bearer token is malformed, expired or not signed by a trusted key"
              : "This endpoint needs an 'Authorization: Bearer <token>' header");
      String challenge = presented || request.getAttribute(IssuerAndAudience.REFUSAL).isPresent()
          ? REALM + ", error=\"invalid_token\", error_description=\"" + message + "\""
          : REALM;
      return answer(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", message).header(HttpHeaders.WWW_AUTHENTICATE, challenge);
    }
    AccessDenial denial = request.getAttribute(ScopeAndPortalRule.DENIAL, AccessDenial.class)
        .orElse(new AccessDenial("The token does not allow this request", null));
    MutableHttpResponse<ErrorBody> response = answer(HttpStatus.FORBIDDEN, "FORBIDDEN", denial.message());
    if (denial.missingScope() != null) {
      response.header(HttpHeaders.WWW_AUTHENTICATE,
          REALM + ", error=\"insufficient_scope\", scope=\"" + denial.missingScope().claim() + "\"");
    }
    return response;
  }

  private static MutableHttpResponse<ErrorBody> answer(HttpStatus status, String code, String message) {
    return HttpResponse.<ErrorBody>status(status)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(new ErrorBody(code, message));
  }
}
