package io.hookline.queryapi.config;

import io.hookline.queryapi.view.PageCursors;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.util.Base64;

/**
 * The {@link PageCursors} of the list endpoints, keyed from {@code HOOKLINE_SECRETS_KEY}: every
 * instance shares that key, so a cursor from one instance opens the next page on any other, and a
 * client cannot make one up.
 */
@Factory
public class PageCursorsFactory {

  @Singleton
  PageCursors pageCursors(QueryApiConfiguration config) {
    try {
      return new PageCursors(Base64.getDecoder().decode(config.getSecretsKey()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigurationException("HOOKLINE_SECRETS_KEY must be set to base64 of 32 random bytes");
    }
  }
}
