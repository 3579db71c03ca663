package io.hookline.queryapi.auth.http;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

/**
 * Refuses tokens without an expiry or a subject. Micronaut checks {@code exp} only when a token
 * has one; a token that never expires would be a credential that can never be withdrawn, so here
 * it is no token at all.
 */
@Singleton
public class RequiredClaims<T> implements GenericJwtClaimsValidator<T> {

  @Override
  public boolean validate(Claims claims, T request) {
    return claims.get(Claims.EXPIRATION_TIME) != null && claims.get(Claims.SUBJECT) instanceof String subject
        && !subject.isBlank();
  }
}
