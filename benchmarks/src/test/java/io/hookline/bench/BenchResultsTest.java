package io.hookline.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark's report and its charts land side by side, the charts as real PNG files. */
class BenchResultsTest {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Test
  void writesTheReportAndEachChartAsPngBesideIt(@TempDir Path dir) throws Exception {
    Map<String, List<Double>> bars = BenchChart.series();
    bars.put("Hookline", List.of(12.0, 85.0));
    bars.put("Spring", List.of(30.0, Double.NaN));
    Map<String, double[]> lines = new LinkedHashMap<>();
    lines.put("Hookline", new double[] {40, 12, Double.NaN, 6});
    Map<String, BenchChart> charts = new LinkedHashMap<>();
    charts.put("lateness", BenchChart.bars("Lateness", "ms", List.of("p50", "p99"), bars));
    charts.put("p99-per-second", BenchChart.lines("p99", "second", "ms", lines, false));

    List<Path> written = new BenchResults(dir, "retry-lateness", Instant.parse("2026-12-07T13:15:00Z"))
        .write("the report\n", charts);

    assertEquals(List.of(dir.resolve("retry-lateness-20261207-131500.txt"),
        dir.resolve("retry-lateness-20261207-131500-lateness.png"),
        dir.resolve("retry-lateness-20261207-131500-p99-per-second.png")), written);
    assertEquals("the report\n", Files.readString(written.get(0), StandardCharsets.UTF_8));
    for (Path png : written.subList(1, 3)) {
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), 8), png + " is a PNG");
    }
  }
}
