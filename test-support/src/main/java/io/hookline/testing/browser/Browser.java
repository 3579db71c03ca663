package io.hookline.testing.browser;

import io.hookline.testing.Folders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through chromedriver, both Debian's (see {@link
 * BrowserInstallation}), with a fresh profile in a temporary folder that {@link #close()} deletes.
 * The driver executable and the browser binary are given explicitly, so Selenium Manager is never
 * asked for either and nothing is downloaded.
 *
 * <p>The window is 1280x800, the desktop size the console is designed for; {@link
 * #checkNoHorizontalScrollAtPhoneWidth(String)} looks at the current page at 375 px too. Screenshots
 * go to the folder given at launch (a module's {@code target/...}), one PNG per page name.
 */
public final class Browser implements AutoCloseable {

  public static final Dimension DESKTOP = new Dimension(1280, 800);
  public static final Dimension PHONE = new Dimension(375, 800);

  /**
   * Flags for a quiet, isolated, reproducible browser: no sandbox (CI runs as root), no calls home,
   * no small /dev/shm of a container, and scrollbars that take no width, as on a phone (a classic
   * one would eat 15 of the 375 px the phone-width check looks at).
   */
  static final List<String> FLAGS = List.of(
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-default-apps", "--disable-extensions", "--no-first-run", "--disable-quic",
      "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight(), "--hide-scrollbars");

  /**
   * Selenium warns at every start that it has no CDP binding for this Chromium version; these tests
   * use WebDriver only, never CDP. Held here so the logger, and its level, are not collected.
   */
  private static final Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;
  private final Path screenshots;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, Path screenshots) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
    this.screenshots = screenshots;
  }

  /**
   * Starts Chromium, saving screenshots under {@code screenshots}. Fails or aborts the calling test
   * when no browser is installed (see {@link BrowserInstallation#require()}).
   */
  public static Browser launch(Path screenshots) {
    BrowserInstallation installation = BrowserInstallation.require();
    Path profile;
    try {
      Files.createDirectories(screenshots);
      profile = Files.createTempDirectory("hookline-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(installation.chromedriver().toFile())
        .usingAnyFreePort()
        .withLogOutput(OutputStream.nullOutputStream())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(installation.chromium().toFile());
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile);
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      Folders.deleteRecursively(profile);
      throw e;
    }
    Browser browser = new Browser(service, driver, profile, screenshots);
    try {
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
      browser.resizeViewport(DESKTOP);
      return browser;
    } catch (RuntimeException e) {
      browser.close();
      throw e;
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  /** The Selenium driver, for finding elements and clicking. */
  public ChromeDriver driver() {
    return driver;
  }

  /** Loads {@code url} and returns once the page has loaded. */
  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /** Runs {@code script} in the page (as a function body; {@code return} gives its value). */
  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Saves what the viewport shows now as {@code <name>.png} in the screenshot folder (characters
   * other than letters, digits, dot, dash and underscore become dashes).
   */
  public Path screenshot(String name) {
    Path target = screenshots.resolve(name.replaceAll("[^A-Za-z0-9._-]+", "-") + ".png");
    try {
      Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the screenshot " + target, e);
    }
    return target;
  }

  /** The current page's axe-core violations of impact serious or critical. */
  public List<AxeViolation> seriousAccessibilityViolations() {
    return Axe.seriousViolations(driver);
  }

  /**
   * Fails listing every serious or critical axe-core violation of the current page ({@code page}
   * names it in the message).
   */
  public void assertAccessible(String page) {
    Axe.assertNoSeriousViolations(driver, page);
  }

  /**
   * At 375 px width: the document's scroll width, and the viewport's width, of the current page. A
   * screenshot at that width is saved as {@code <page>-375.png}; the window goes back to 1280x800.
   */
  public PageWidth widthAtPhoneSize(String page) {
    resizeViewport(PHONE);
    try {
      Number scrollWidth = (Number) script("return document.documentElement.scrollWidth");
      Number clientWidth = (Number) script("return document.documentElement.clientWidth");
      screenshot(page + "-" + PHONE.getWidth());
      return new PageWidth(scrollWidth.intValue(), clientWidth.intValue());
    } finally {
      resizeViewport(DESKTOP);
    }
  }

  /**
   * Sizes the window so that the page's viewport is {@code viewport}: headless Chromium keeps some
   * of the window for its (invisible) toolbar, so the window is made taller by what it keeps.
   */
  public void resizeViewport(Dimension viewport) {
    driver.manage().window().setSize(viewport);
    Dimension inner = innerSize();
    driver.manage().window().setSize(new Dimension(
        2 * viewport.getWidth() - inner.getWidth(), 2 * viewport.getHeight() - inner.getHeight()));
    Awaitility.await("viewport " + viewport).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(this::innerSize, viewport::equals);
  }

  private Dimension innerSize() {
    @SuppressWarnings("unchecked")
    List<Number> size = (List<Number>) script("return [window.innerWidth, window.innerHeight]");
    return new Dimension(size.get(0).intValue(), size.get(1).intValue());
  }

  /** Fails when the current page scrolls sideways at 375 px width. */
  public void checkNoHorizontalScrollAtPhoneWidth(String page) {
    PageWidth width = widthAtPhoneSize(page);
    if (width.scrolls()) {
      throw new AssertionError(page + " scrolls sideways at " + PHONE.getWidth() + " px: document "
          + width.scrollWidth() + " px wide, viewport " + width.clientWidth() + " px");
    }
  }

  /** Quits the browser and the driver and deletes the profile folder. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      // Chromium may still be writing its profile for a moment after it was told to quit.
      Awaitility.await("profile folder deleted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions().until(() -> {
            Folders.deleteRecursively(profile);
            return !Files.exists(profile);
          });
    }
  }

  /** The document's scroll width and the viewport's client width, in CSS pixels. */
  public record PageWidth(int scrollWidth, int clientWidth) {
    public boolean scrolls() {
      return scrollWidth > clientWidth;
    }
  }
}
