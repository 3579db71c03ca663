package io.hookline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's one-minute load average (Linux {@code /proc/loadavg}), for reports on shared machines. */
final class LoadAverage {

  private LoadAverage() {}

  /** The one-minute load average, or -1 when the OS does not tell. */
  static double oneMinute() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
