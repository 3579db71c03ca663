package io.hookline.testing.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core, Deque's accessibility engine, run inside the page under test: its script comes from
 * the {@code org.webjars.npm:axe-core} WebJar on the test classpath, is injected with
 * executeScript, and {@code axe.run} checks the whole document against its default rules (WCAG 2
 * A and AA and best practices).
 */
public final class Axe {

  private static final String WEBJAR = "META-INF/maven/org.webjars.npm/axe-core/pom.properties";

  /** Returns each violation reduced to what a failure message needs. */
  private static final String RUN = """
      var done = arguments[arguments.length - 1];
      axe.run(document, {resultTypes: ['violations']}).then(function (result) {
        done({violations: result.violations.map(function (v) {
          return {id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
              targets: v.nodes.map(function (n) { return n.target.join(' '); })};
        })});
      }, function (error) { done({error: String(error)}); });
      """;

  private static volatile String source;

  private Axe() {}

  /** Every violation axe-core finds on the page the driver shows now. */
  @SuppressWarnings("unchecked")
  public static List<AxeViolation> violations(WebDriver driver) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
      js.executeScript(source());
    }
    Map<String, Object> answer = (Map<String, Object>) js.executeAsyncScript(RUN);
    if (answer.get("error") != null) {
      throw new IllegalStateException("axe-core failed on " + driver.getCurrentUrl() + ": " + answer.get("error"));
    }
    List<AxeViolation> violations = new ArrayList<>();
    for (Map<String, Object> v : (List<Map<String, Object>>) answer.get("violations")) {
      violations.add(new AxeViolation((String) v.get("id"), (String) v.get("impact"), (String) v.get("help"),
          (String) v.get("helpUrl"), List.copyOf((List<String>) v.get("targets"))));
    }
    return violations;
  }

  /** The violations of impact serious or critical. */
  public static List<AxeViolation> seriousViolations(WebDriver driver) {
    return violations(driver).stream().filter(AxeViolation::seriousOrCritical).toList();
  }

  /** Fails listing every serious or critical violation (id, help, elements) of the current page. */
  public static void assertNoSeriousViolations(WebDriver driver, String page) {
    List<AxeViolation> serious = seriousViolations(driver);
    if (!serious.isEmpty()) {
      throw new AssertionError("axe-core " + version() + " finds " + serious.size()
          + " serious or critical accessibility violation(s) on " + page + " (" + driver.getCurrentUrl() + "):\n  "
          + serious.stream().map(AxeViolation::toString).collect(Collectors.joining("\n  ")));
    }
  }

  /** The axe-core version of the WebJar on the classpath. */
  public static String version() {
    try (InputStream in = resource(WEBJAR)) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String source() {
    String s = source;
    if (s == null) {
      try (InputStream in = resource("META-INF/resources/webjars/axe-core/" + version() + "/axe.min.js")) {
        s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      source = s;
    }
    return s;
  }

  private static InputStream resource(String name) {
    InputStream in = Axe.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the classpath: add org.webjars.npm:axe-core to the test dependencies");
    }
    return in;
  }
}
