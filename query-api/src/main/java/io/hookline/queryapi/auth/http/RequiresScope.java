package io.hookline.queryapi.auth.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint of a portal ({@code {screenname}} in its path) as needing a bearer token that
 * grants this scope and whose {@code portal} claim is that screenname. Enforced by
 * {@link ScopeAndPortalRule}; an endpoint with neither this annotation nor an explicit anonymous
 * {@code @Secured} is refused to everybody.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {
  WebhookScope value();

  /**
   * Other scopes that grant the endpoint as well. For the internal routes between instances, which
   * answer public endpoints of different scopes (a page for READ, a lookup for retry-now's UPDATE).
   */
  WebhookScope[] orAnyOf() default {};
}
