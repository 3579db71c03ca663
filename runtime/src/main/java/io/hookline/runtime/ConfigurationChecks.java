package io.hookline.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks a configuration setter runs on the value it binds, so that a bad value stops start-up
 * with one message naming the key ({@code hookline.<key> must be positive, was PT0S}), the same in
 * every service.
 */
public final class ConfigurationChecks {

  private ConfigurationChecks() {}

  /** {@code value}, if it is longer than zero; {@code key} is the name under {@code hookline.}. */
  public static Duration positive(String key, Duration value) {
    Objects.requireNonNull(value, HooklineConfiguration.PREFIX + "." + key);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(HooklineConfiguration.PREFIX + "." + key + " must be positive, was " + value);
    }
    return value;
  }

  /** {@code value}, if it is a TCP port number or 0 (any free port); {@code key} is the name under {@code hookline.}. */
  public static int port(String key, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(HooklineConfiguration.PREFIX + "." + key + " must be 0..65535, was " + value);
    }
    return value;
  }

  /** {@code value}, if it is 1 or more; {@code key} is the name under {@code hookline.}. */
  public static int atLeastOne(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(HooklineConfiguration.PREFIX + "." + key + " must be at least 1, was " + value);
    }
    return value;
  }
}
