package io.hookline.bench;

import io.hookline.testing.KafkaBroker;
import java.io.PrintStream;

/**
 * How every benchmark command ends: exit 0 when it measured and met its targets, 3 when it
 * measured and missed one, 1 when it could not measure (a record missing, a wrong answer, a broker
 * or service that would not start). {@link System#exit} also ends client threads that would keep
 * the JVM alive after a failure.
 */
public final class BenchExit {

  /** A benchmark's body: returns its exit code (0 or 3), throws when it could not measure. */
  @FunctionalInterface
  public interface Body {
    int run() throws Exception;
  }

  private BenchExit() {}

  public static void afterRunning(Body body) {
    int exit;
    try {
      exit = body.run();
    } catch (Throwable e) {
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  /**
   * Starts the broker every benchmark measures on (test-support's: in-JVM KRaft, or
   * {@code KAFKA_BOOTSTRAP_SERVERS}). The in-JVM broker prints its format step on stdout, which is
   * the report's; that goes to stderr.
   */
  public static KafkaBroker startBroker() {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      return KafkaBroker.start();
    } finally {
      System.setOut(stdout);
    }
  }
}
