package io.hookline.testing.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing browser fails the test in CI and is reported skipped elsewhere, never a silent pass. */
class BrowserInstallationTest {

  private static final Map<String, String> NO_BROWSER = Map.of(
      BrowserInstallation.CHROMIUM_VARIABLE, "/nonexistent/chromium",
      BrowserInstallation.CHROMEDRIVER_VARIABLE, "/nonexistent/chromedriver");

  @Test
  void aMissingBrowserFailsInCi() {
    var ci = new java.util.HashMap<>(NO_BROWSER);
    ci.put("CI", "true");

    assertThatThrownBy(() -> BrowserInstallation.require(ci))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("chromium not found at /nonexistent/chromium")
        .hasMessageContaining("chromedriver not found at /nonexistent/chromedriver")
        .hasMessageContaining("apt-get install chromium chromium-driver");
  }

  @Test
  void aMissingBrowserIsReportedSkippedOutsideCi() {
    assertThatThrownBy(() -> BrowserInstallation.require(NO_BROWSER))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("chromium not found at /nonexistent/chromium")
        .hasMessageContaining("with CI=true this fails");
  }

  @Test
  void aClassThatRequiresABrowserIsSkippedWithoutOneOutsideCiAndRunsInCi() {
    var ci = new java.util.HashMap<>(NO_BROWSER);
    ci.put("CI", "true");

    assertThat(BrowserInstallation.Condition.evaluate(NO_BROWSER).isDisabled()).isTrue();
    assertThat(BrowserInstallation.Condition.evaluate(NO_BROWSER).getReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("chromium not found at /nonexistent/chromium"));
    assertThat(BrowserInstallation.Condition.evaluate(ci).isDisabled()).isFalse();
  }

  @Test
  void debiansPathsAreTheDefault() {
    var installation = new BrowserInstallation(BrowserInstallation.DEBIAN_CHROMIUM, BrowserInstallation.DEBIAN_CHROMEDRIVER);

    assertThat(installation.chromium()).isEqualTo(Path.of("/usr/bin/chromium"));
    assertThat(installation.chromedriver()).isEqualTo(Path.of("/usr/bin/chromedriver"));
    assertThat(new BrowserInstallation(Path.of("/nonexistent/a"), Path.of("/nonexistent/b")).missing()).hasSize(2);
  }
}
