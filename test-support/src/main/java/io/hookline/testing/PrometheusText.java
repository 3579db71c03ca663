package io.hookline.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads samples out of a Prometheus text exposition, for assertions on a service's real {@code /metrics}. */
public final class PrometheusText {

  private final String text;

  public PrometheusText(String text) {
    this.text = text;
  }

  /**
   * The value of the sample named {@code name} whose labels include every one of {@code labels}
   * (summed over the samples that match), or empty when none does.
   */
  public Optional<Double> value(String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
      if (!sampleName.equals(name)) {
        continue;
      }
      String labelText = brace >= 0 ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
      if (labels.entrySet().stream().allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        sum += Double.parseDouble(line.substring(space + 1));
        found = true;
      }
    }
    return found ? Optional.of(sum) : Optional.empty();
  }

  /** Like {@link #value}, 0 when no sample matches. */
  public double valueOrZero(String name, Map<String, String> labels) {
    return value(name, labels).orElse(0.0);
  }

  /** The names of the metric families ({@code # TYPE} lines). */
  public Set<String> families() {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      }
    }
    return names;
  }

  /** Every sample name (a histogram's {@code _bucket}, {@code _sum}, {@code _count} included). */
  public Set<String> sampleNames() {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int brace = line.indexOf('{');
        names.add(brace >= 0 ? line.substring(0, brace) : line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return text;
  }
}
