package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.Folders;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import io.hookline.testing.browser.Browser;
import io.hookline.testing.browser.RequiresBrowser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The failures console in a real browser (Debian's Chromium through Selenium) against the real
 * services, as an on-call engineer uses it: sign in with a pasted token, find the failing webhook
 * ranked first, open its failed execution and read every attempt, retry it once the receiver is
 * fixed and watch it leave the list, watch a new failure arrive without a reload, and be refused
 * another portal's webhook. Every page is checked with axe-core (no serious or critical
 * violation), at phone width (no sideways scroll), and saved as a screenshot under
 * {@code target/console-screenshots/}.
 */
@EndToEndTest
@Lanes.Busy
@RequiresBrowser
class ConsoleEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  /** What the browser showed when a test failed, beside the pages' screenshots. */
  @RegisterExtension final TestWatcher failureScreenshot = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (browser != null) {
        browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
      }
    }
  };
  private static final String PORTAL = "zylker";
  private static final String OTHER_PORTAL = "acme";
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration PAGE_WAIT = Duration.ofSeconds(60);

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<String, FailedExecution> deadLetters;
  private static Browser browser;
  /** Title of every page checked, by page name: each page has its own. */
  private static final Map<String, String> titles = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s,1s", RunningHookline.logDir("console"), Map.of());
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps());
    // This run's screenshots only, none left from an earlier one.
    Folders.deleteRecursively(SCREENSHOTS);
    browser = Browser.launch(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {browser, deadLetters, producer, hookline, receiver}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the rest anyway
      }
    }
  }

  @Test
  void anEngineerFindsTheFailureReadsItsAttemptsRetriesItAndSeesTheNextOneArriveLive() throws Exception {
    // Created first and sorting first by URL, so only the ranking by failures puts the other first.
    String healthyPath = "/a-healthy/" + UUID.randomUUID();
    String failingPath = "/z-failing/" + UUID.randomUUID();
    receiver.answer(healthyPath, WebhookReceiver.status(200));
    receiver.answer(failingPath, WebhookReceiver.status(500, "receiver down"));
    String healthy = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(healthyPath), List.of("order.paid"))
        .get("id").asText();
    String failing = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(failingPath), List.of("order.failed"))
        .get("id").asText();
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.paid");
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.paid");
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.failed");
    receiver.awaitRequests(healthyPath, 2, Duration.ofSeconds(60));
    FailedExecution failed = deadLetters.awaitOne(d -> d.getWebhookId().equals(failing), Duration.ofSeconds(60));
    String executionId = failed.getExecutionId();

    signIn();

    // The overview: both webhooks, the failing one first.
    String overview = hookline.apiUrl() + "/console/" + PORTAL;
    List<String> ranked = untilShown("both webhooks on the overview", overview,
        () -> attributes("tr[data-webhook-id]", "data-webhook-id"), ids -> ids.containsAll(List.of(healthy, failing))
            && ids.get(0).equals(failing));
    assertThat(ranked).containsExactly(failing, healthy);
    checkPage("overview");

    // The webhook: its failed execution listed; one click to the execution.
    browser.driver().findElement(By.cssSelector("tr[data-webhook-id='" + failing + "'] a")).click();
    String webhookPage = hookline.apiUrl() + "/console/" + PORTAL + "/webhooks/" + failing;
    awaitUrl(webhookPage);
    untilShown("the failed execution on the webhook page", webhookPage,
        () -> attributes("tr[data-execution-id]", "data-execution-id"), ids -> ids.contains(executionId));
    checkPage("webhook");
    browser.driver().findElement(By.cssSelector("tr[data-execution-id='" + executionId + "'] a")).click();
    awaitUrl(webhookPage + "/executions/" + executionId);

    // The execution: all four attempts in order, each answered 500.
    List<WebElement> attempts = browser.driver().findElements(By.cssSelector("tr[data-attempt]"));
    assertThat(attempts).extracting(a -> a.getDomAttribute("data-attempt")).containsExactly("1", "2", "3", "4");
    assertThat(attempts).allSatisfy(a -> assertThat(a.getText()).contains("500"));
    assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("order.failed");
    checkPage("execution");

    // Fixed receiver, one press of retry: the same execution is re-sent and leaves the failed list.
    receiver.answer(failingPath, WebhookReceiver.status(200));
    WebElement retryForm = browser.driver().findElement(By.id("retry-form"));
    assertThat(retryForm.findElement(By.name("_csrf")).getDomAttribute("value")).isNotBlank();
    retryForm.findElement(By.cssSelector("button[type='submit']")).click();
    await("the retry answered").until(() -> browser.driver().findElement(By.id("message")).getText(),
        text -> text.contains(executionId));
    assertThat(browser.driver().findElement(By.id("message")).getDomAttribute("data-status")).isEqualTo("200");
    checkPage("retry-queued");
    List<WebhookReceiver.Request> resent = receiver.awaitRequests(failingPath, 5, Duration.ofSeconds(30));
    assertThat(resent).extracting(r -> r.header("webhook-id")).containsOnly(executionId);
    browser.driver().findElement(By.id("back-link")).click();
    awaitUrl(webhookPage);
    untilShown("the retried execution gone from the webhook page", webhookPage,
        () -> attributes("tr[data-execution-id]", "data-execution-id"), ids -> !ids.contains(executionId));

    // A new failure arrives on the open page by itself, without a reload.
    receiver.answer(failingPath, WebhookReceiver.status(500, "down again"));
    browser.open(overview);
    WebElement live = browser.driver().findElement(By.id("live-failures"));
    assertThat(live.getDomAttribute("aria-live")).isIn("polite", "assertive");
    browser.script("window.hooklineNotReloaded = true");
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.failed");
    FailedExecution next = deadLetters.awaitOne(d -> d.getWebhookId().equals(failing)
        && !d.getExecutionId().equals(executionId), Duration.ofSeconds(60));
    await("the new failure in #live-failures").until(
        () -> attributes("#live-failures [data-execution-id]", "data-execution-id"), ids -> ids.contains(next.getExecutionId()));
    assertThat(browser.script("return window.hooklineNotReloaded === true")).as("the page was not reloaded").isEqualTo(true);
    browser.screenshot("overview-live-failure");

    assertThat(titles.values()).doesNotHaveDuplicates();
  }

  @Test
  void anotherPortalsWebhookIsRefused() throws Exception {
    String otherPath = "/other-portal/" + UUID.randomUUID();
    String other = EndToEnd.createWebhook(hookline, OTHER_PORTAL, receiver.url(otherPath), List.of("order.paid"))
        .get("id").asText();
    signIn();

    String refused = hookline.apiUrl() + "/console/" + OTHER_PORTAL + "/webhooks/" + other;
    browser.open(refused);

    assertThat(status(refused)).isIn(403, 404);
    assertThat(browser.driver().getPageSource()).doesNotContain(otherPath).doesNotContain(other);
    checkPage("refused");
  }

  /**
   * Signs in as {@link #PORTAL}'s engineer: the token pasted into the form, then Tab to the button
   * and Enter, with the keyboard alone.
   */
  private static void signIn() {
    browser.driver().manage().deleteAllCookies();
    browser.open(hookline.apiUrl() + "/console");
    checkPage("sign-in");
    WebElement token = browser.driver().findElement(By.name("token"));
    assertThat(browser.driver().findElements(By.cssSelector("label[for='" + token.getDomAttribute("id") + "']")))
        .as("the token field has a label").isNotEmpty();
    token.sendKeys(hookline.token(PORTAL));
    token.sendKeys(Keys.TAB);
    WebElement focused = browser.driver().switchTo().activeElement();
    assertThat(focused.getTagName()).as("focus after the token field").isEqualTo("button");
    assertThat(focused.getText()).isEqualTo("Sign in");
    focused.sendKeys(Keys.ENTER);
    await("signed in").until(() -> browser.driver().manage().getCookies(), cookies -> !cookies.isEmpty());
    List<Cookie> session = List.copyOf(browser.driver().manage().getCookies());
    assertThat(session).as("the session cookie").isNotEmpty().allSatisfy(c -> {
      assertThat(c.isHttpOnly()).as(c.getName() + " HttpOnly").isTrue();
      assertThat(c.getSameSite()).as(c.getName() + " SameSite").isEqualToIgnoringCase("Strict");
    });
    assertThat(browser.script("return document.cookie")).as("the session is out of scripts' reach").isEqualTo("");
  }

  /**
   * Checks the page the browser shows: a title of its own and one h1, no serious or critical axe-core
   * violation, no sideways scroll at 375 px; saves its screenshot as {@code <name>.png}.
   */
  private static void checkPage(String name) {
    String title = browser.driver().getTitle();
    assertThat(title).as("title of the " + name + " page").isNotBlank();
    assertThat(browser.driver().findElements(By.tagName("h1"))).as("h1 of the " + name + " page").hasSize(1);
    titles.merge(name, title, (a, b) -> a);
    browser.screenshot(name);
    browser.assertAccessible(name + " page");
    browser.checkNoHorizontalScrollAtPhoneWidth(name);
  }

  /** Reloads {@code url} until {@code read} gives what {@code shown} accepts; returns that. */
  private static <T> T untilShown(String what, String url, java.util.concurrent.Callable<T> read,
      java.util.function.Predicate<? super T> shown) {
    return await(what).until(() -> {
      browser.open(url);
      return read.call();
    }, shown::test);
  }

  private static void awaitUrl(String url) {
    await("at " + url).until(() -> browser.driver().getCurrentUrl(), u -> u.equals(url) || u.startsWith(url + "?"));
  }

  private static List<String> attributes(String selector, String attribute) {
    return browser.driver().findElements(By.cssSelector(selector)).stream().map(e -> e.getDomAttribute(attribute)).toList();
  }

  /** The HTTP status of a GET of {@code url} from the page, with the page's own session cookie. */
  private static int status(String url) {
    Object status = browser.driver().executeAsyncScript(
        "var done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status), e => done(-1));", url);
    return ((Number) status).intValue();
  }

  private static ConditionFactory await(String what) {
    return Awaitility.await(what).atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
  }
}
