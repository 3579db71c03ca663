package io.hookline.queryapi.auth.http;

import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.auth.CurrentCaller;
import io.hookline.queryapi.view.InternalRoutes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;

/**
 * The caller of the HTTP request being answered (Micronaut's request context follows the request
 * onto the blocking executor): its bearer token (from the {@code Authorization} header, else from
 * the console's session cookie, {@link SessionCookieTokenReader}) and the portal it acts on (see
 * {@link #portal}). A request on an internal route ({@link InternalRoutes#PREFIX}) is a forwarded one.
 */
@Singleton
public class HttpCurrentCaller implements CurrentCaller {

  /** Request attribute naming the portal a request without {@code {screenname}} acts on (GraphQL). */
  public static final String PORTAL_ATTRIBUTE = "hookline.caller-portal";

  private static final String BEARER = "Bearer ";

  @Override
  public Optional<Caller> get() {
    return ServerRequestContext.currentRequest().flatMap(HttpCurrentCaller::caller);
  }

  static Optional<Caller> caller(HttpRequest<?> request) {
    Optional<String> token = request.getHeaders().getAuthorization()
        .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .map(h -> h.substring(BEARER.length()).trim())
        .filter(t -> !t.isEmpty())
        .or(() -> SessionCookieTokenReader.token(request));
    Optional<String> portal = portal(request);
    if (token.isEmpty() || portal.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Caller(portal.get(), token.get(), request.getPath().startsWith(InternalRoutes.PREFIX)));
  }

  /**
   * The portal the request acts on: the one a GraphQL query chose ({@link #PORTAL_ATTRIBUTE}), the
   * {@code {screenname}} of a REST path, or else the token's only portal.
   */
  private static Optional<String> portal(HttpRequest<?> request) {
    Optional<String> chosen = request.getAttribute(PORTAL_ATTRIBUTE, String.class);
    if (chosen.isPresent()) {
      return chosen;
    }
    Optional<String> inPath = RouteAttributes.getRouteMatch(request)
        .map(route -> route.getVariableValues().get(ScopeAndPortalRule.PORTAL_PATH_VARIABLE))
        .map(Object::toString);
    if (inPath.isPresent()) {
      return inPath;
    }
    Set<String> granted = request.getUserPrincipal(Authentication.class).map(TokenPortals::of).orElse(Set.of());
    return granted.size() == 1 ? granted.stream().findFirst() : Optional.empty();
  }
}
