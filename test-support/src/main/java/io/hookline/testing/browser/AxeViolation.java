package io.hookline.testing.browser;

import java.util.List;

/**
 * One axe-core rule a page breaks: the rule id ({@code image-alt}), its impact ({@code minor},
 * {@code moderate}, {@code serious}, {@code critical}), what it asks for, and the CSS selectors of the
 * elements that break it.
 */
public record AxeViolation(String id, String impact, String help, String helpUrl, List<String> targets) {

  public boolean seriousOrCritical() {
    return "serious".equals(impact) || "critical".equals(impact);
  }

  @Override
  public String toString() {
    return id + " (" + impact + "): " + help + " at " + targets + " " + helpUrl;
  }
}
