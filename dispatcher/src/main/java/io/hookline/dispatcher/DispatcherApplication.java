package io.hookline.dispatcher;

import io.micronaut.context.ApplicationContext;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the dispatcher until SIGTERM or Ctrl-C, then shuts it down cleanly and exits 0. Exits 1 if
 * it cannot start or if it stopped because an outcome could not be written (see FatalFailure).
 */
public final class DispatcherApplication {

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherApplication.class);

  private DispatcherApplication() {}

  public static void main(String[] args) {
    CompletableFuture<Throwable> signalled = new CompletableFuture<>();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> signalled.complete(null));
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal for itself (e.g. -Xrs); it then stops us the usual way.
        LOG.warn("Cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
    ApplicationContext context;
    try {
      context = ApplicationContext.run();
    } catch (RuntimeException e) {
      LOG.error("The dispatcher could not start", e);
      System.exit(1);
      return;
    }
    Dispatcher dispatcher = context.getBean(Dispatcher.class);
    Throwable failure = (Throwable) CompletableFuture.anyOf(signalled, dispatcher.terminated()).join();
    context.close();
    System.exit(failure == null ? 0 : 1);
  }
}
