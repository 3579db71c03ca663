package io.hookline.queryapi;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.hookline.runtime.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Bearer tokens for tests, minted like an OAuth server would (HS256 over {@link #JWT_SECRET}), and
 * the security settings every test API instance runs with.
 */
public final class TestTokens {

  public static final String JWT_SECRET = "hookline-test-secret-0123456789-abcdefghij";
  public static final String SECRETS_KEY = SecretCipher.generateBase64Key();
  public static final String ALL_SCOPES = "webhooks.READ webhooks.CREATE webhooks.UPDATE webhooks.DELETE";

  private TestTokens() {}

  /**
   * The settings that let the API start: the HS256 secret and the secrets key, plus a Kafka Streams
   * application id and state folder of its own, so that API instances started one after another
   * (each on its own broker) never share state.
   */
  public static Map<String, Object> securityProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put("hookline.jwt-secret", JWT_SECRET);
    props.put("hookline.secrets-key", SECRETS_KEY);
    props.put("hookline.query-application-id", "hookline-query-api-test-" + UUID.randomUUID());
    props.put("hookline.state-dir", freshStateDir());
    return props;
  }

  /** A new empty folder for Kafka Streams state, deleted at the latest when the test JVM exits. */
  public static String freshStateDir() {
    return StateDirs.fresh().toString();
  }

  public static SecretCipher cipher() {
    return SecretCipher.fromBase64Key(SECRETS_KEY, "test key");
  }

  /** A token for {@code portal} with every webhook scope, valid for ten minutes. */
  public static String forPortal(String portal) {
    return withScope(portal, ALL_SCOPES);
  }

  public static String withScope(String portal, String scope) {
    return hs256(JWT_SECRET, claims(portal, scope, Instant.now().plus(Duration.ofMinutes(10))));
  }

  public static String expired(String portal) {
    return hs256(JWT_SECRET, claims(portal, ALL_SCOPES, Instant.now().minus(Duration.ofMinutes(5))));
  }

  public static String signedWithAnotherSecret(String portal) {
    return hs256("another-secret-another-secret-another-secret",
        claims(portal, ALL_SCOPES, Instant.now().plus(Duration.ofMinutes(10))));
  }

  public static JWTClaimsSet claims(String portal, String scope, Instant expiry) {
    return new JWTClaimsSet.Builder()
        .subject("test-client")
        .claim("portal", portal)
        .claim("scope", scope)
        .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(30))))
        .expirationTime(Date.from(expiry))
        .build();
  }

  public static String hs256(String secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
