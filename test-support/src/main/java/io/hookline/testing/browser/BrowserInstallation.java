package io.hookline.testing.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where Debian's Chromium and its chromedriver are: {@code /usr/bin/chromium} and {@code
 * /usr/bin/chromedriver} ({@code apt-get install chromium chromium-driver}), or the paths in {@code
 * HOOKLINE_TEST_CHROMIUM} / {@code HOOKLINE_TEST_CHROMEDRIVER}. Nothing is ever downloaded: a
 * browser or driver that a test tool fetches for itself cannot be had on these machines.
 *
 * <p>When either is missing, {@link #require()} fails the test with {@code CI=true} (CI must run the
 * browser tests; {@code .ci/run} installs both) and otherwise aborts it, so a developer without a
 * browser sees it reported skipped, never passed.
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
    BrowserInstallation installation = new BrowserInstallation(
        Path.of(env.getOrDefault(CHROMIUM_VARIABLE, DEBIAN_CHROMIUM.toString())),
        Path.of(env.getOrDefault(CHROMEDRIVER_VARIABLE, DEBIAN_CHROMEDRIVER.toString())));
    List<String> missing = installation.missing();
    if (missing.isEmpty()) {
      return installation;
    }
    String message = "no browser for the browser tests: " + String.join(", ", missing)
        + ". Install Debian's with `apt-get install chromium chromium-driver` (.ci/run does), or set "
        + CHROMIUM_VARIABLE + " and " + CHROMEDRIVER_VARIABLE + ".";
    if ("true".equalsIgnoreCase(env.get("CI"))) {
      return Assertions.fail(message);
    }
    Assumptions.abort(message + " Skipped (with CI=true this fails).");
    throw new AssertionError("unreachable: Assumptions.abort throws");
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
