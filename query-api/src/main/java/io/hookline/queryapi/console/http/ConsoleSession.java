package io.hookline.queryapi.console.http;

import io.hookline.queryapi.auth.http.ScopeAndPortalRule;
import io.hookline.queryapi.auth.http.SessionCookieTokenReader;
import io.hookline.queryapi.auth.http.TokenPortals;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.console.CsrfTokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import java.util.List;
import java.util.Optional;

/**
 * Who is looking at a console page, as the templates need it: the portals the token may see, the
 * scopes that decide which actions are offered, and the CSRF token every form carries. Built from a
 * request the security rules already let through, so the token is valid.
 *
 * @param csrf null when the request is not authenticated by the session cookie (a bearer header
 *     needs none, and a page rendered for it has no forms that would need one)
 */
public record ConsoleSession(String subject, List<String> portals, boolean canUpdate, String csrf) {

  static Optional<ConsoleSession> of(HttpRequest<?> request, CsrfTokens csrfTokens) {
    return request.getUserPrincipal(Authentication.class).map(auth -> new ConsoleSession(
        auth.getName(),
        List.copyOf(TokenPortals.of(auth)),
        ScopeAndPortalRule.grants(auth, WebhookScope.UPDATE),
        SessionCookieTokenReader.token(request).map(csrfTokens::of).orElse(null)));
  }

  /** Whether the request's CSRF proof is good: not needed for a bearer header, else the session's token. */
  static boolean csrfAccepted(HttpRequest<?> request, CsrfTokens csrfTokens, String presented) {
    if (!SessionCookieTokenReader.cookieOnly(request)) {
      return request.getHeaders().getAuthorization().isPresent();
    }
    return csrfTokens.matches(SessionCookieTokenReader.token(request).orElseThrow(), presented);
  }
}
