package io.hookline.queryapi.console;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless synchronizer tokens against cross-site request forgery: the token of a session is
 * HMAC-SHA256 over its bearer token (the session cookie's value), so the server stores nothing, a
 * page form carries it in a hidden {@value #FIELD} field (a script in the {@value #HEADER} header),
 * and another site, which can make the browser send the cookie but cannot read it, cannot compute it.
 * A new sign-in gives a new token.
 *
 * <p>The key is derived from {@code HOOKLINE_SECRETS_KEY} under a label of its own, not a random key
 * per process: every instance holds that key, so a form rendered by one instance is accepted by any
 * other behind the same load balancer and across restarts; and not from the JWT secret, which is
 * absent when tokens are checked against a JWKS only.
 */
@Singleton
public class CsrfTokens {

  /** The form field that carries the token. */
  public static final String FIELD = "_csrf";
  /** The request header that carries the token for scripts and API clients using the cookie. */
  public static final String HEADER = "X-CSRF-Token";

  private static final String MAC = "HmacSHA256";

  private final SecretKeySpec key;

  public CsrfTokens(QueryApiConfiguration config) {
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(config.getSecretsKey());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigurationException("HOOKLINE_SECRETS_KEY must be set to base64 of 32 random bytes");
    }
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret, MAC), "hookline console csrf key"), MAC);
  }

  /** The CSRF token of the session whose cookie holds {@code sessionToken}. */
  public String of(String sessionToken) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, sessionToken));
  }

  /** Whether {@code presented} is the token of that session (compared in constant time). */
  public boolean matches(String sessionToken, String presented) {
    if (sessionToken == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(of(sessionToken).getBytes(StandardCharsets.US_ASCII),
        presented.trim().getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(SecretKeySpec key, String message) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
