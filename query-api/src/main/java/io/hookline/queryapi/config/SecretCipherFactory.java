package io.hookline.queryapi.config;

import io.hookline.runtime.SecretCipher;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * The cipher that keeps signing secrets encrypted on the webhooks topic, from
 * {@code HOOKLINE_SECRETS_KEY}. Created at start-up: without a valid key the service refuses to
 * start, so a secret is never written in clear.
 */
@Factory
public class SecretCipherFactory {

  @Context
  SecretCipher secretCipher(QueryApiConfiguration config) {
    try {
      return SecretCipher.fromBase64Key(config.getSecretsKey(), "HOOKLINE_SECRETS_KEY");
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }
}
