package io.hookline.runtime;

import io.micronaut.context.env.ActiveEnvironment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourceLoader;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.io.ResourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads {@value #RESOURCE} (the defaults of the keys every service shares, {@link
 * HooklineConfiguration}) into every Hookline service's environment, just below its own
 * application.yml. Micronaut reads only the first application.yml on a classpath, so a service's
 * file cannot carry the shared keys for the others; this loader, registered as a Micronaut service,
 * lets them be written once.
 */
public final class SharedPropertySourceLoader implements PropertySourceLoader {

  /** The classpath resource holding the shared keys. */
  public static final String RESOURCE = "hookline-shared.yml";

  /** Below application.yml (position {@code -300}), above nothing else a service reads. */
  static final int ORDER = -310;

  private final YamlPropertySourceLoader yaml = new YamlPropertySourceLoader(false);

  @Override
  public Optional<PropertySource> load(String resourceName, ResourceLoader resourceLoader) {
    if (!"application".equals(resourceName)) {
      return Optional.empty();
    }
    return resourceLoader.getResourceAsStream(RESOURCE).map(in -> {
      try (in) {
        return PropertySource.of(RESOURCE, read(RESOURCE, in), ORDER);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + RESOURCE, e);
      }
    });
  }

  @Override
  public Optional<PropertySource> loadEnv(String resourceName, ResourceLoader resourceLoader,
      ActiveEnvironment activeEnvironment) {
    return Optional.empty();
  }

  @Override
  public Map<String, Object> read(String name, InputStream input) throws IOException {
    return yaml.read(name, input);
  }

  @Override
  public Set<String> getExtensions() {
    return Set.of();
  }
}
