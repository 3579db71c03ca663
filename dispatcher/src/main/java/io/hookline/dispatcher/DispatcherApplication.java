package io.hookline.dispatcher;

import io.micronaut.context.ApplicationContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the dispatcher until SIGTERM or Ctrl-C, then shuts it down cleanly and exits 0. Exits 1 if
 * it cannot start or if it stopped because an outcome could not be written (see FatalFailure).
 */
public final class DispatcherApplication {

  /**
   * The JDK HTTP client completes every {@code sendAsync} future on CompletableFuture's default
   * executor. On a machine with 2 cores the common pool has a parallelism of 1, and
   * CompletableFuture then falls back to a new thread per task: a thread start for every response
   * (34,999 for 35,000 deliveries in a profile of {@code ./bench delivery}). The property is read
   * once, when CompletableFuture and ForkJoinPool are first loaded, so it is set here, before
   * anything else in this JVM touches them; an explicit {@code -D} setting wins.
   */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

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
    if (ForkJoinPool.getCommonPoolParallelism() < 2) {
      LOG.warn("The common ForkJoinPool has a parallelism of {}: every HTTP response will start a thread."
          + " Set -D{}=2 or more", ForkJoinPool.getCommonPoolParallelism(), COMMON_POOL_PARALLELISM);
    }
    Dispatcher dispatcher = context.getBean(Dispatcher.class);
    Throwable failure = (Throwable) CompletableFuture.anyOf(signalled, dispatcher.terminated()).join();
    context.close();
    System.exit(failure == null ? 0 : 1);
  }
}
