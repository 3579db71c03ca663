package io.hookline.bench.delivery;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on stderr while the delivery benchmark runs; stdout is for the report. */
final class BenchLog {

  private BenchLog() {}

  static void log(String format, Object... args) {
    System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + String.format(format, args));
  }
}
