package io.hookline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * One chart of a benchmark's figures, drawn with XChart into a PNG: grouped bars (a value per
 * contender and measure) or lines (a series per contender over time). Figures that are not finite
 * (a phase not measured, an event that never arrived) are left out rather than drawn as zero.
 */
public final class BenchChart {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private final Chart<?, ?> chart;

  private BenchChart(Chart<?, ?> chart) {
    this.chart = chart;
  }

  /**
   * Grouped bars: one group per category (x axis), one bar per series in each, on a linear axis
   * (XChart draws no bars on a logarithmic one).
   *
   * @param series series name to its value per category, in the order of {@code categories}
   */
  public static BenchChart bars(String title, String yAxis, List<String> categories,
      Map<String, List<Double>> series) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .yAxisTitle(yAxis).build();
    style(chart.getStyler());
    chart.getStyler().setOverlapped(false);
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      // Every series over every category (XChart aligns them by position); a missing figure is a gap.
      List<Double> y = new ArrayList<>();
      boolean any = false;
      for (int i = 0; i < categories.size(); i++) {
        Double v = i < s.getValue().size() ? s.getValue().get(i) : null;
        boolean drawn = v != null && Double.isFinite(v);
        y.add(drawn ? v : null);
        any |= drawn;
      }
      if (any) {
        chart.addSeries(s.getKey(), categories, y);
      }
    }
    return new BenchChart(chart);
  }

  /**
   * Lines over x = 1, 2, 3 ... (e.g. the n-th second of a phase), one per series; a non-finite
   * value leaves a gap.
   */
  public static BenchChart lines(String title, String xAxis, String yAxis, Map<String, double[]> series,
      boolean logarithmic) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxis)
        .yAxisTitle(yAxis).build();
    style(chart.getStyler());
    chart.getStyler().setYAxisLogarithmic(logarithmic);
    chart.getStyler().setMarkerSize(4);
    for (Map.Entry<String, double[]> s : series.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      double[] values = s.getValue();
      for (int i = 0; i < values.length; i++) {
        if (Double.isFinite(values[i]) && (!logarithmic || values[i] > 0)) {
          x.add((double) (i + 1));
          y.add(values[i]);
        }
      }
      if (!x.isEmpty()) {
        chart.addSeries(s.getKey(), x, y);
      }
    }
    return new BenchChart(chart);
  }

  /** Series name to values, in insertion order: the order the legend shows. */
  public static Map<String, List<Double>> series() {
    return new LinkedHashMap<>();
  }

  void writePng(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void style(Styler styler) {
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(java.awt.Color.WHITE);
  }
}
