package io.hookline.queryapi.config;

import io.hookline.runtime.SecretCipher;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * The cipher that keeps signing secrets encrypted on the webhooks topic, from
 * {@code HOOKLINE_SECRETS_KEY}, which also decrypts with {@code HOOKLINE_SECRETS_PREVIOUS_KEYS}
 * during a key rotation. Created at start-up: without a valid key the service refuses to
 * start, so a secret is never written in clear.
 */
@Factory
public class SecretCipherFactory {

  @Context
  SecretCipher secretCipher(QueryApiConfiguration config) {
    try {
      return SecretCipher.fromBase64Keys(config.getSecretsKey(), config.getSecretsPreviousKeys(), "HOOKLINE_SECRETS_KEY",
          "HOOKLINE_SECRETS_PREVIOUS_KEYS");
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }
}
