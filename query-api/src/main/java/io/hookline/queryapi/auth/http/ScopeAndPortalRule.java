package io.hookline.queryapi.auth.http;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;

/**
 * Tenant isolation and scopes for every endpoint marked {@link RequiresScope}: the token must be
 * valid (else 401), grant the endpoint's scope and carry a {@code portal} claim equal to the
 * {@code {screenname}} of the path (else 403). Runs before Micronaut's {@code @Secured} rule and
 * decides alone for the endpoints it marks; for any other route it abstains, and a route nobody
 * allows is refused (Micronaut's default), so a new endpoint without an annotation is closed.
 *
 * <p>Claims: {@code scope} as a space-separated string (OAuth 2.0, RFC 8693) or a list of strings;
 * {@code portal} as a string or a list of strings ({@link TokenPortals}). Comparisons are exact.
 */
@Singleton
public class ScopeAndPortalRule implements SecurityRule<HttpRequest<?>> {

  /** The request attribute holding the {@link AccessDenial} of a refused request. */
  static final String DENIAL = "hookline.access-denial";
  static final String SCOPE_CLAIM = "scope";
  static final String PORTAL_PATH_VARIABLE = "screenname";

  @Override
  public int getOrder() {
    return SecuredAnnotationRule.ORDER - 100;
  }

  @Override
  public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication authentication) {
    return Publishers.just(decide(request, authentication));
  }

  private static SecurityRuleResult decide(HttpRequest<?> request, Authentication authentication) {
    Optional<RouteMatch<?>> route = RouteAttributes.getRouteMatch(request);
    if (route.isEmpty()) {
      return SecurityRuleResult.UNKNOWN;
    }
    Optional<WebhookScope> required = route.get().getAnnotationMetadata().enumValue(RequiresScope.class, WebhookScope.class);
    if (required.isEmpty()) {
      return SecurityRuleResult.UNKNOWN;
    }
    if (authentication == null) {
      return SecurityRuleResult.REJECTED;
    }
    Set<String> granted = scopes(authentication.getAttributes().get(SCOPE_CLAIM));
    boolean allowed = granted.contains(required.get().claim())
        || Stream.of(route.get().getAnnotationMetadata().enumValues(RequiresScope.class, "orAnyOf", WebhookScope.class))
            .anyMatch(scope -> granted.contains(scope.claim()));
    if (!allowed) {
      request.setAttribute(DENIAL, AccessDenial.missing(required.get()));
      return SecurityRuleResult.REJECTED;
    }
    Object screenname = route.get().getVariableValues().get(PORTAL_PATH_VARIABLE);
    if (screenname == null || !TokenPortals.of(authentication).contains(screenname.toString())) {
      request.setAttribute(DENIAL, AccessDenial.otherPortal(String.valueOf(screenname)));
      return SecurityRuleResult.REJECTED;
    }
    return SecurityRuleResult.ALLOWED;
  }

  /** Whether the authenticated token grants {@code scope}. */
  public static boolean grants(Authentication authentication, WebhookScope scope) {
    return scopes(authentication.getAttributes().get(SCOPE_CLAIM)).contains(scope.claim());
  }

  static Set<String> scopes(Object claim) {
    if (claim instanceof String text) {
      return Stream.of(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
    if (claim instanceof Collection<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet());
    }
    return Set.of();
  }
}
