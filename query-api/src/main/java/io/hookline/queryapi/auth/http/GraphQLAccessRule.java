package io.hookline.queryapi.auth.http;

import io.micronaut.configuration.graphql.GraphQLConfiguration;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Access to the GraphQL endpoint ({@code /graphql}, Micronaut's controller, which carries no
 * security annotation of ours): a valid bearer token (else 401) that grants {@code webhooks.READ}
 * (else 403, like the REST API; every GraphQL field only reads). Which portal the query reads is
 * settled per query from the token's portals, since the path names none. Abstains on other paths.
 */
@Singleton
public class GraphQLAccessRule implements SecurityRule<HttpRequest<?>> {

  private final String path;

  public GraphQLAccessRule(GraphQLConfiguration graphql) {
    this.path = graphql.getPath();
  }

  @Override
  public int getOrder() {
    return SecuredAnnotationRule.ORDER - 100;
  }

  @Override
  public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication authentication) {
    if (!request.getPath().equals(path)) {
      return Publishers.just(SecurityRuleResult.UNKNOWN);
    }
    if (authentication == null) {
      return Publishers.just(SecurityRuleResult.REJECTED);
    }
    if (!ScopeAndPortalRule.scopes(authentication.getAttributes().get(ScopeAndPortalRule.SCOPE_CLAIM))
        .contains(WebhookScope.READ.claim())) {
      request.setAttribute(ScopeAndPortalRule.DENIAL, AccessDenial.missing(WebhookScope.READ));
      return Publishers.just(SecurityRuleResult.REJECTED);
    }
    return Publishers.just(SecurityRuleResult.ALLOWED);
  }
}
