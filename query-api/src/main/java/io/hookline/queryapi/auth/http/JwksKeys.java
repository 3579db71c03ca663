package io.hookline.queryapi.auth.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.net.URL;
import java.security.Key;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks token signatures against the public keys an OAuth server publishes at its JWKS URL. The
 * key set is fetched at start-up (a failure is logged, not fatal: the server may come up later),
 * cached for 5 minutes and refreshed ahead of expiry in the background, and fetched again,
 * rate-limited, when a token names a key id it does not hold, so the server's key rotations are
 * followed. Only asymmetric algorithms (RS*, PS*, ES*) are accepted: a JWKS never makes an HMAC key
 * usable (no algorithm confusion).
 */
final class JwksKeys implements SignatureConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  private final URL url;
  private final JWKSource<SecurityContext> keys;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

  JwksKeys(URL url) {
    this.url = url;
    this.keys = JWKSourceBuilder.create(url).retrying(true).refreshAheadCache(true).build();
    try {
      keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    } catch (KeySourceException e) {
      LOG.warn("Cannot load the JWKS from {} yet ({}); tokens are checked once it answers", url, e.getMessage());
    }
  }

  @Override
  public String supportedAlgorithmsMessage() {
    return "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 with a key from " + url;
  }

  @Override
  public boolean supports(JWSAlgorithm algorithm) {
    return JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm);
  }

  @Override
  public boolean verify(SignedJWT jwt) throws JOSEException {
    JWSHeader header = jwt.getHeader();
    if (!supports(header.getAlgorithm())) {
      return false;
    }
    List<? extends Key> candidates;
    try {
      candidates = new JWSVerificationKeySelector<>(header.getAlgorithm(), keys).selectJWSKeys(header, null);
    } catch (KeySourceException e) {
      // The key set cannot be fetched now (server down, or refetches for unknown key ids rate-limited,
      // at most two per 30 s): the token is not verified, a 401.
      LOG.debug("No key for kid {} from {}: {}", header.getKeyID(), url, e.getMessage());
      return false;
    }
    for (Key key : candidates) {
      if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "JWKS " + url;
  }
}
