package io.hookline.testing.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where Debian's Chromium and its chromedriver are: {@code /usr/bin/chromium} and {@code
 * /usr/bin/chromedriver} ({@code apt-get install chromium chromium-driver}), or the paths in {@code
 * HOOKLINE_TEST_CHROMIUM} / {@code HOOKLINE_TEST_CHROMEDRIVER}. Nothing is ever downloaded: a
 * browser or driver that a test tool fetches for itself cannot be had on these machines.
 *
 * <p>When either is missing, {@link #require()} fails the test with {@code CI=true} (CI must run the
 * browser tests; {@code .ci/run} installs both) and otherwise aborts it, so a developer without a
 * browser sees it reported skipped, never passed. A test class marked {@link RequiresBrowser} has
 * each of its tests reported skipped then, without starting anything.
 */
public record BrowserInstallation(Path chromium, Path chromedriver) {

  public static final String CHROMIUM_VARIABLE = "HOOKLINE_TEST_CHROMIUM";
  public static final String CHROMEDRIVER_VARIABLE = "HOOKLINE_TEST_CHROMEDRIVER";
  static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DEBIAN_CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** The installation the test can use; fails or aborts the calling test when there is none. */
  public static BrowserInstallation require() {
    return require(System.getenv());
  }

  /** {@link #require()} against the given environment. */
  static BrowserInstallation require(Map<String, String> env) {
    BrowserInstallation installation = of(env);
    List<String> missing = installation.missing();
    if (missing.isEmpty()) {
      return installation;
    }
    if (inCi(env)) {
      return Assertions.fail(problem(missing));
    }
    Assumptions.abort(problem(missing) + SKIPPED);
    throw new AssertionError("unreachable: Assumptions.abort throws");
  }

  private static final String SKIPPED = " Skipped (with CI=true this fails).";

  /** The paths named by the environment, or Debian's. */
  static BrowserInstallation of(Map<String, String> env) {
    return new BrowserInstallation(
        Path.of(env.getOrDefault(CHROMIUM_VARIABLE, DEBIAN_CHROMIUM.toString())),
        Path.of(env.getOrDefault(CHROMEDRIVER_VARIABLE, DEBIAN_CHROMEDRIVER.toString())));
  }

  static boolean inCi(Map<String, String> env) {
    return "true".equalsIgnoreCase(env.get("CI"));
  }

  static String problem(List<String> missing) {
    return "no browser for the browser tests: " + String.join(", ", missing)
        + ". Install Debian's with `apt-get install chromium chromium-driver` (.ci/run does), or set "
        + CHROMIUM_VARIABLE + " and " + CHROMEDRIVER_VARIABLE + ".";
  }

  /**
   * Reports every test of a {@link RequiresBrowser} class skipped, before its {@code @BeforeAll}
   * starts anything, when there is no browser and {@code CI} is not {@code true}. In CI the class
   * runs and {@link Browser#launch} fails it.
   */
  static final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return evaluate(System.getenv());
    }

    static ConditionEvaluationResult evaluate(Map<String, String> env) {
      List<String> missing = of(env).missing();
      if (missing.isEmpty() || inCi(env)) {
        return ConditionEvaluationResult.enabled("a browser is installed, or CI must have one");
      }
      return ConditionEvaluationResult.disabled(problem(missing) + SKIPPED);
    }
  }

  /** What is missing, in words; empty when both are there and executable. */
  List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(chromium)) {
      missing.add("chromium not found at " + chromium);
    }
    if (!Files.isExecutable(chromedriver)) {
      missing.add("chromedriver not found at " + chromedriver);
    }
    return missing;
  }
}
