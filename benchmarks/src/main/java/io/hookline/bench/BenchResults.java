package io.hookline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a benchmark leaves its figures: its text report (the one it prints) and its charts, side by
 * side in one folder, named by benchmark and start time: {@code delivery-20261207-131500.txt},
 * {@code delivery-20261207-131500-throughput.png}. The folder is {@code BENCH_RESULTS}, else
 * {@code benchmarks/target/bench-results} (the working folder of {@code ./bench} is the repository). A chart that
 * cannot be drawn (no fonts on a stripped JVM, say) is reported and skipped: the text stays the
 * record of the run.
 */
public final class BenchResults {

  static final String RESULTS_VARIABLE = "BENCH_RESULTS";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final String baseName;

  BenchResults(Path dir, String benchmark, Instant started) {
    this.dir = dir;
    this.baseName = benchmark + "-" + STAMP.format(started);
  }

  /** The results of {@code benchmark} started at {@code started}, in the folder the settings name. */
  public static BenchResults of(String benchmark, Instant started, Map<String, String> env) {
    String configured = env.get(RESULTS_VARIABLE);
    Path dir = configured == null || configured.isBlank()
        ? Path.of("benchmarks", "target", "bench-results") : Path.of(configured.trim());
    return new BenchResults(dir.toAbsolutePath(), benchmark, started);
  }

  /**
   * Writes the report and each chart (by its short name), then prints where they are on stderr
   * (stdout keeps the report alone). Returns the files written.
   */
  public List<Path> write(String report, Map<String, BenchChart> charts) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      Path text = dir.resolve(baseName + ".txt");
      Files.writeString(text, report, StandardCharsets.UTF_8);
      written.add(text);
    } catch (IOException e) {
      Progress.log("Could not write the results to %s: %s", dir, e.getMessage());
      return written;
    }
    for (Map.Entry<String, BenchChart> chart : charts.entrySet()) {
      Path png = dir.resolve(baseName + "-" + chart.getKey() + ".png");
      try {
        chart.getValue().writePng(png);
        written.add(png);
      } catch (IOException | RuntimeException | LinkageError e) {
        Progress.log("Could not draw the chart %s: %s", png.getFileName(), e);
      }
    }
    written.forEach(file -> Progress.log("Results: %s", file));
    return written;
  }
}
