package io.hookline.bench;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/** Progress lines on stderr while a contender runs, so a slow run shows where it is. */
final class Progress {

  private Progress() {}

  static void log(String format, Object... args) {
    System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + String.format(format, args));
  }

  /** Waits for every record, printing a line every 5 s; true if all arrived within the timeout. */
  static boolean await(LatenessRecorder recorder, String who, Duration timeout, Supplier<String> more)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (recorder.awaitAll(Duration.ofNanos(Math.min(left, Duration.ofSeconds(5).toNanos())))) {
        return true;
      }
      if (deadline - System.nanoTime() <= 0) {
        return false;
      }
      log("%s: %,d received%s", who, recorder.received(), more.get());
    }
  }
}
