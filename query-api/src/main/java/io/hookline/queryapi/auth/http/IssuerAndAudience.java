package io.hookline.queryapi.auth.http;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Checks a token's {@code iss} against {@code HOOKLINE_JWT_ISSUER} and its {@code aud} against
 * {@code HOOKLINE_JWT_AUDIENCE}, each only when set. The issuer must be equal, character for
 * character (RFC 7519 4.1.1; OpenID Connect Core 3.1.3.7); the audience, a string or a list of
 * strings, must contain the configured value. A missing claim fails the check. Micronaut's own issuer
 * validator is not used: it accepts any issuer that ends with the configured one, scheme and trailing
 * slash ignored.
 *
 * <p>Micronaut runs claims validators only after the signature has been verified, so the reason of
 * a refusal is kept on the request ({@link #REFUSAL}) and the 401 can name it
 * ({@link AuthorizationErrors}) without telling anything about keys.
 */
@Singleton
public class IssuerAndAudience<T> implements GenericJwtClaimsValidator<T> {

  /** Request attribute holding why a correctly signed token was refused. */
  static final String REFUSAL = "hookline.token-refusal";

  private final String issuer;
  private final String audience;

  public IssuerAndAudience(QueryApiConfiguration config) {
    this(config.getJwtIssuer(), config.getJwtAudience());
  }

  IssuerAndAudience(String issuer, String audience) {
    this.issuer = blankToNull(issuer);
    this.audience = blankToNull(audience);
  }

  @Override
  public boolean validate(Claims claims, T request) {
    Optional<String> refusal = refusal(claims.get(Claims.ISSUER), claims.get(Claims.AUDIENCE));
    if (refusal.isPresent() && request instanceof HttpRequest<?> http) {
      http.setAttribute(REFUSAL, refusal.get());
    }
    return refusal.isEmpty();
  }

  /** Why a token with these {@code iss} and {@code aud} claims is refused; empty when it is not. */
  Optional<String> refusal(Object iss, Object aud) {
    if (issuer != null && !issuer.equals(iss)) {
      return Optional.of(iss == null
          ? "The token has no issuer (iss); this API accepts tokens issued by '" + issuer + "'"
          : "The token's issuer '" + iss + "' is not '" + issuer + "', the issuer this API trusts");
    }
    if (audience != null && !audiences(aud).contains(audience)) {
      return Optional.of(aud == null
          ? "The token has no audience (aud); this API accepts tokens for the audience '" + audience + "'"
          : "The token's audience " + audiences(aud) + " does not include '" + audience + "', this API's audience");
    }
    return Optional.empty();
  }

  private static List<String> audiences(Object aud) {
    if (aud instanceof String one) {
      return List.of(one);
    }
    if (aud instanceof Collection<?> many) {
      return many.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
