package io.hookline.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * How the end-to-end classes share the machine's two cores. Every class picks one lane:
 *
 * <ul>
 *   <li>{@link Busy}: the class keeps the cores busy most of its time (load, restarts of service
 *       or broker JVMs, several brokers, a browser); busy classes run one at a time;
 *   <li>{@link Waiting}: once its services are up, the class mostly waits for real timers (retry
 *       delays, breakers, metric refreshes); waiting classes run one at a time, beside a busy one;
 *   <li>{@link Alone}: the class measures time or rates that any neighbour (a busy one, or a
 *       waiting one starting its services) would distort; it runs with nothing beside it, after
 *       the other classes (JUnit's {@link Isolated});
 *   <li>{@link Free}: the class waits minutes on real timers with a tolerance a busy neighbour does
 *       not eat up; it runs beside a busy and a waiting class.
 * </ul>
 *
 * The lanes are JUnit resource locks on classes that run concurrently (see
 * {@code junit-platform.properties}: three threads, so a free class, a busy one and a waiting one
 * at most, then the classes that run alone one after another). {@code LanesTest} checks that every
 * end-to-end class picks exactly one.
 */
final class Lanes {

  /** Held by busy classes. */
  static final String CORES = "io.hookline.e2e.cores";
  /** Held by waiting classes. */
  static final String WAITING = "io.hookline.e2e.waiting";

  private Lanes() {}

  /** Keeps the cores busy: one busy class at a time, a waiting one may run beside it. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Execution(ExecutionMode.CONCURRENT)
  @ResourceLock(CORES)
  @interface Busy {}

  /** Mostly waits on real timers once its services are up: one at a time, beside a busy class. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Execution(ExecutionMode.CONCURRENT)
  @ResourceLock(WAITING)
  @interface Waiting {}

  /** Measures time or rates: nothing beside it; runs after the other classes. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Isolated
  @interface Alone {}

  /** Waits minutes on real timers with a tolerance no neighbour eats up: beside a busy and a waiting class. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Execution(ExecutionMode.CONCURRENT)
  @interface Free {}
}
