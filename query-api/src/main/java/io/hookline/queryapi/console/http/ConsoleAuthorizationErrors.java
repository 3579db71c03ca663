package io.hookline.queryapi.console.http;

import io.hookline.queryapi.auth.http.AuthorizationErrors;
import io.hookline.queryapi.auth.http.SessionCookieTokenReader;
import io.hookline.queryapi.http.ErrorBody;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.authentication.AuthorizationException;
import jakarta.inject.Singleton;

/**
 * Refusals of console pages as pages, the API's refusals unchanged: a console request without a
 * valid session goes to the sign-in form (a 303, not a JSON 401; an expired session's cookie is
 * cleared on the way), one whose token lacks the scope or the portal gets a 403 page that says which,
 * with the same reason as the API's 403.
 */
@Singleton
@Replaces(AuthorizationErrors.class)
public class ConsoleAuthorizationErrors extends AuthorizationErrors {

  private final ConsolePages pages;

  public ConsoleAuthorizationErrors(ConsolePages pages) {
    this.pages = pages;
  }

  @Override
  public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
    MutableHttpResponse<?> api = super.handle(request, e);
    if (!request.getPath().startsWith("/console")) {
      return api;
    }
    if (!e.isForbidden()) {
      MutableHttpResponse<String> signIn = SignInController.seeOther(SignInController.SIGN_IN);
      if (SessionCookieTokenReader.token(request).isPresent()) {
        signIn.cookie(Cookie.of(SessionCookieTokenReader.COOKIE, "").path("/").maxAge(0));
      }
      return signIn;
    }
    String reason = api.getBody(ErrorBody.class).map(ErrorBody::message).orElse("The token does not allow this page");
    return pages.message(request, HttpStatus.FORBIDDEN, "Access refused", reason + ".", "/console",
        "Back to the console");
  }
}
