package io.hookline.queryapi.console;

import io.hookline.queryapi.auth.http.ScopeAndPortalRule;
import io.hookline.queryapi.auth.http.TokenPortals;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * Decides whether a pasted bearer token may open a console session: checked by the API's own token
 * validators (signature against the configured keys, {@code exp}, {@code nbf}, subject), and it must
 * name at least one portal and grant {@code webhooks.READ}, the least any console page needs. The
 * answer says when the session must end: the token's expiry.
 */
@Singleton
public class SignIn {

  /** The longest token accepted; a JWT of a few KB fits, anything longer is not one of ours. */
  public static final int MAX_TOKEN_LENGTH = 8192;
  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(10);

  private final List<TokenValidator<HttpRequest<?>>> validators;

  public SignIn(List<TokenValidator<HttpRequest<?>>> validators) {
    this.validators = validators;
  }

  /** A session that may be opened: the token, its first portal, and when it expires. */
  public record Accepted(String token, String portal, Instant expiresAt) {}

  /** The outcome: a session to open, or the message that tells the person why not. */
  public sealed interface Outcome permits Opened, Refused {}

  public record Opened(Accepted session) implements Outcome {}

  public record Refused(String message) implements Outcome {}

  public Outcome check(String pasted, HttpRequest<?> request) {
    String token = pasted == null ? "" : pasted.trim();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).trim();
    }
    if (token.isEmpty()) {
      return new Refused("Paste a bearer token to sign in.");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      return new Refused("That is not a bearer token of this service (too long).");
    }
    Optional<Authentication> valid = validate(token, request);
    if (valid.isEmpty()) {
      return new Refused("This token is malformed, expired or not signed by a key this service trusts.");
    }
    Authentication auth = valid.get();
    if (TokenPortals.of(auth).isEmpty()) {
      return new Refused("This token names no portal (its 'portal' claim is missing).");
    }
    if (!ScopeAndPortalRule.grants(auth, WebhookScope.READ)) {
      return new Refused("This token does not grant webhooks.READ, which the console needs to show anything.");
    }
    Object exp = auth.getAttributes().get("exp");
    Instant expiresAt = exp instanceof Date date ? date.toInstant()
        : exp instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue())
        : null;
    if (expiresAt == null) {
      return new Refused("This token has no expiry; the console only accepts tokens that expire.");
    }
    return new Opened(new Accepted(token, TokenPortals.of(auth).iterator().next(), expiresAt));
  }

  private Optional<Authentication> validate(String token, HttpRequest<?> request) {
    for (TokenValidator<HttpRequest<?>> validator : validators) {
      Optional<Authentication> auth = Flux.from(validator.validateToken(token, request)).next()
          .blockOptional(VALIDATION_TIMEOUT);
      if (auth.isPresent()) {
        return auth;
      }
    }
    return Optional.empty();
  }
}
