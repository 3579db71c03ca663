package io.hookline.testing.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.hookline.testing.IntegrationTest;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser infrastructure proven on its own, against static pages served from a JDK HTTP server:
 * the real Chromium starts, axe-core reports a page's known violations (and none on a clean page),
 * the phone-width check catches a page that scrolls sideways, and screenshots are real PNGs of the
 * 1280x800 window. Without this, a browser test that finds nothing could be one that checks nothing.
 */
@IntegrationTest
@RequiresBrowser
class BrowserSelfTest {

  private static final Path SCREENSHOTS = Path.of("target", "browser-self-test-screenshots");

  private static final String HEAD = """
      <!doctype html><html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title></head>
      """;

  private static final Map<String, String> PAGES = Map.of(
      "/clean", HEAD.formatted("A clean page") + """
          <body><main><h1>A clean page</h1>
          <form method="post"><label for="token">Token</label> <input id="token" name="token">
          <button type="submit">Sign in</button></form></main></body></html>
          """,
      // Three critical rule breaks: an image without text, an unlabelled field, a nameless button.
      "/broken", HEAD.formatted("A broken page") + """
          <body><main><h1>A broken page</h1>
          <img src="/pixel.svg" id="logo">
          <form><input id="unlabelled" name="token"><button id="nameless" type="submit"></button></form>
          </main></body></html>
          """,
      "/wide", HEAD.formatted("A wide page") + """
          <body><main><h1>A wide page</h1><div style="width: 600px">a table that does not fit</div></main></body></html>
          """,
      "/pixel.svg", """
          <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>
          """);

  private static HttpServer server;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    PAGES.forEach((path, body) -> server.createContext(path, exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          path.endsWith(".svg") ? "image/svg+xml" : "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }));
    server.start();
    browser = Browser.launch(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void axeFindsNothingSeriousOnACleanPage() {
    browser.open(url("/clean"));

    assertThat(browser.driver().getTitle()).isEqualTo("A clean page");
    assertThat(browser.seriousAccessibilityViolations()).isEmpty();
    browser.assertAccessible("clean page");
  }

  @Test
  void axeReportsEveryKnownViolationWithItsElements() {
    browser.open(url("/broken"));

    List<AxeViolation> serious = browser.seriousAccessibilityViolations();

    assertThat(serious).extracting(AxeViolation::id).contains("image-alt", "label", "button-name");
    assertThat(serious).filteredOn(v -> v.id().equals("image-alt")).singleElement()
        .satisfies(v -> assertThat(v.impact()).isEqualTo("critical"))
        .satisfies(v -> assertThat(v.targets()).containsExactly("#logo"))
        .satisfies(v -> assertThat(v.help()).isNotBlank());
    assertThatThrownBy(() -> browser.assertAccessible("broken page"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("on broken page")
        .hasMessageContaining("image-alt (critical)")
        .hasMessageContaining("#logo")
        .hasMessageContaining("#unlabelled")
        .hasMessageContaining("#nameless");
  }

  @Test
  void thePhoneWidthCheckCatchesAPageThatScrollsSideways() {
    browser.open(url("/wide"));

    Browser.PageWidth wide = browser.widthAtPhoneSize("wide");

    assertThat(wide.clientWidth()).isEqualTo(Browser.PHONE.getWidth());
    assertThat(SCREENSHOTS.resolve("wide-375.png")).isRegularFile();
    assertThat(wide.scrollWidth()).isGreaterThanOrEqualTo(600);
    assertThatThrownBy(() -> browser.checkNoHorizontalScrollAtPhoneWidth("wide"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("wide scrolls sideways at 375 px");

    browser.open(url("/clean"));
    browser.checkNoHorizontalScrollAtPhoneWidth("clean");
    assertThat(browser.script("return window.innerWidth")).isEqualTo((long) Browser.DESKTOP.getWidth());
  }

  @Test
  void aScreenshotIsAPngOfTheDesktopWindow() throws Exception {
    browser.open(url("/clean"));

    Path shot = browser.screenshot("clean");

    assertThat(shot).isEqualTo(SCREENSHOTS.resolve("clean.png"));
    BufferedImage image = ImageIO.read(shot.toFile());
    assertThat(image).as("a PNG at " + shot).isNotNull();
    assertThat(image.getWidth()).isEqualTo(Browser.DESKTOP.getWidth());
    assertThat(image.getHeight()).isEqualTo(Browser.DESKTOP.getHeight());
  }
}
