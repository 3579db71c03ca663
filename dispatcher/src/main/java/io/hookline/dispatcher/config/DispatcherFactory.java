package io.hookline.dispatcher.config;

import io.hookline.dispatcher.Dispatcher;
import io.hookline.runtime.HooklineConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

/** Starts the dispatcher with the application context and stops it cleanly when the context closes. */
@Factory
public class DispatcherFactory {

  @Context
  @Bean(preDestroy = "close")
  public Dispatcher dispatcher(DispatcherConfiguration configuration, HooklineConfiguration shared) {
    return Dispatcher.start(configuration.toSettings(shared), configuration.toOperationalSettings());
  }
}
