package io.hookline.queryapi.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The time source of the service: UTC wall-clock time. */
@Factory
public class ClockFactory {

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
