package io.hookline.queryapi.auth.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys bearer tokens must be signed with: the HS256 secret {@code HOOKLINE_JWT_SECRET} (its
 * UTF-8 bytes, at least {@value #MIN_SECRET_BYTES}), the keys published at
 * {@code HOOKLINE_JWT_JWKS_URL}, or both. Created at start-up: with neither configured, or a secret
 * that is too short, the service refuses to start, so the API can never run open by mistake.
 */
@Context
public class TokenSignatures implements SignatureConfiguration {

  /** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
  public static final int MIN_SECRET_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(TokenSignatures.class);

  private final List<SignatureConfiguration> keys = new ArrayList<>();

  public TokenSignatures(QueryApiConfiguration config) {
    String secret = blankToNull(config.getJwtSecret());
    String jwksUrl = blankToNull(config.getJwtJwksUrl());
    jwksUrl = jwksUrl == null ? null : jwksUrl.trim();
    if (secret == null && jwksUrl == null) {
      throw new ConfigurationException("No way to check bearer tokens: set HOOKLINE_JWT_SECRET (an HS256 secret of "
          + "at least " + MIN_SECRET_BYTES + " bytes) or HOOKLINE_JWT_JWKS_URL (the JWKS URL of your OAuth server). "
          + "The API does not run without authentication.");
    }
    if (secret != null) {
      int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < MIN_SECRET_BYTES) {
        throw new ConfigurationException("HOOKLINE_JWT_SECRET is " + bytes + " bytes long; HS256 needs at least "
            + MIN_SECRET_BYTES + " bytes (e.g. `openssl rand -base64 32`)");
      }
      SecretSignatureConfiguration hs256 = new SecretSignatureConfiguration("hookline");
      hs256.setSecret(secret);
      hs256.setBase64(false);
      hs256.setJwsAlgorithm(JWSAlgorithm.HS256);
      keys.add(new SecretSignature(hs256));
    }
    if (jwksUrl != null) {
      keys.add(new JwksKeys(jwksUrl(jwksUrl)));
    }
    LOG.info("Bearer tokens are checked with: {}", supportedAlgorithmsMessage());
  }

  @Override
  public String supportedAlgorithmsMessage() {
    return keys.stream()
        .map(k -> k instanceof SecretSignature ? "HS256 with HOOKLINE_JWT_SECRET" : k.supportedAlgorithmsMessage())
        .collect(Collectors.joining("; "));
  }

  @Override
  public boolean supports(JWSAlgorithm algorithm) {
    return keys.stream().anyMatch(k -> k.supports(algorithm));
  }

  @Override
  public boolean verify(SignedJWT jwt) throws JOSEException {
    for (SignatureConfiguration key : keys) {
      if (key.supports(jwt.getHeader().getAlgorithm()) && key.verify(jwt)) {
        return true;
      }
    }
    return false;
  }

  private static java.net.URL jwksUrl(String text) {
    try {
      URI uri = new URI(text);
      if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
        throw new ConfigurationException("HOOKLINE_JWT_JWKS_URL must be an http(s) URL, got '" + text + "'");
      }
      return uri.toURL();
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      throw new ConfigurationException("HOOKLINE_JWT_JWKS_URL is not a valid URL: '" + text + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
