package io.hookline.queryapi.auth.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads the bearer token a browser holds in the console's session cookie ({@value #COOKIE}), so a
 * signed-in browser is authenticated by the very same validators and rules as an API client (the
 * {@code Authorization} header still works, and wins when both come). The cookie holds the token
 * itself, not a session id: the server keeps no session state, and the cookie stops working when the
 * token expires. Because a browser sends the cookie on its own, every state-changing request
 * authenticated by it needs a CSRF token as well (see the console's CSRF checks).
 */
@Singleton
public class SessionCookieTokenReader implements TokenReader<HttpRequest<?>> {

  /** The name of the console's session cookie. */
  public static final String COOKIE = "hookline_session";

  /** After the bearer header reader, which therefore decides when a request carries both. */
  private static final int ORDER = 100;

  @Override
  public Optional<String> findToken(HttpRequest<?> request) {
    return token(request);
  }

  /** The token in the request's session cookie, if it has a non-blank one. */
  public static Optional<String> token(HttpRequest<?> request) {
    return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** Whether the request is authenticated by the session cookie alone (no bearer header). */
  public static boolean cookieOnly(HttpRequest<?> request) {
    return request.getHeaders().getAuthorization().isEmpty() && token(request).isPresent();
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
