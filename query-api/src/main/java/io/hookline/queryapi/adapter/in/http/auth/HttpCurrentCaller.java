package io.hookline.queryapi.adapter.in.http.auth;

import io.hookline.queryapi.adapter.out.peer.PeerProtocol;
import io.hookline.queryapi.application.Caller;
import io.hookline.queryapi.application.CurrentCaller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The caller of the HTTP request being answered (Micronaut's request context follows the request
 * onto the blocking executor): its bearer token and the portal of its authenticated token. A
 * request on an internal route ({@link PeerProtocol#INTERNAL_PREFIX}) is a forwarded one.
 */
@Singleton
public class HttpCurrentCaller implements CurrentCaller {

  private static final String BEARER = "Bearer ";

  @Override
  public Optional<Caller> get() {
    return ServerRequestContext.currentRequest().flatMap(HttpCurrentCaller::caller);
  }

  static Optional<Caller> caller(HttpRequest<?> request) {
    Optional<String> token = request.getHeaders().getAuthorization()
        .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .map(h -> h.substring(BEARER.length()).trim())
        .filter(t -> !t.isEmpty());
    Optional<String> portal = request.getUserPrincipal(Authentication.class)
        .map(a -> a.getAttributes().get(ScopeAndPortalRule.PORTAL_CLAIM))
        .filter(String.class::isInstance)
        .map(String.class::cast);
    if (token.isEmpty() || portal.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Caller(portal.get(), token.get(), request.getPath().startsWith(PeerProtocol.INTERNAL_PREFIX)));
  }
}
