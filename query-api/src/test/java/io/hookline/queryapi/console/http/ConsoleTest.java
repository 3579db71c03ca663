package io.hookline.queryapi.console.http;

import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.AttemptSamples;
import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.TopicRecording;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console as a browser sees it, over real HTTP against the real application and a real broker:
 * sign-in and its cookie, the pages with data written to the topics as the dispatcher writes it,
 * tenant isolation, CSRF on forms and on cookie-authenticated API calls, and a retry that reaches the
 * redeliveries topic.
 */
@IntegrationTest
class ConsoleTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final long T = 1_700_000_000_000L;
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
  private static final Pattern WEBHOOK_ROWS = Pattern.compile("<tr data-webhook-id=\"([^\"]+)\"");

  private static TopicRecording<String, RetryRequest> redeliveries;

  @BeforeAll
  static void recordRedeliveries() {
    redeliveries = TopicRecording.of(api.server().getApplicationContext().getBean(HooklineTopics.class).redeliveries(),
        api.kafka().broker().clientProps());
  }

  @AfterAll
  static void stopRecording() {
    if (redeliveries != null) {
      redeliveries.close();
    }
  }

  @Test
  void signingInSetsAnHttpOnlyStrictSessionCookieThatEndsWithTheToken() throws Exception {
    String portal = newPortal();
    ConsoleBrowser browser = new ConsoleBrowser(api);

    HttpResponse<String> r = browser.signIn(TestTokens.forPortal(portal));

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/console/" + portal);
    String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("hookline_session="))
        .findFirst().orElseThrow();
    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/")
        .as("plain HTTP: not Secure").doesNotContainIgnoringCase("Secure;").doesNotEndWithIgnoringCase("Secure");
    Matcher maxAge = Pattern.compile("Max-Age=(\\d+)").matcher(cookie);
    assertThat(maxAge.find()).isTrue();
    assertThat(Long.parseLong(maxAge.group(1))).as("no longer than the token's ten minutes").isBetween(1L, 600L);

    assertThat(browser.get("/console").headers().firstValue("Location")).hasValue("/console/" + portal);
    String page = browser.page("/console/" + portal);
    assertThat(page).contains("<h1>Webhooks of " + portal + "</h1>").contains("id=\"live-failures\"")
        .contains("aria-live=\"polite\"").contains("lang=\"en\"");
  }

  @Test
  void aBadTokenGetsTheFormAgainWithAMessageAndNoCookie() throws Exception {
    String portal = newPortal();
    for (String token : List.of("not-a-token", TestTokens.expired(portal), TestTokens.signedWithAnotherSecret(portal),
        TestTokens.withScope(portal, "webhooks.UPDATE"), "")) {
      ConsoleBrowser browser = new ConsoleBrowser(api);
      HttpResponse<String> r = browser.signIn(token);
      assertThat(r.statusCode()).as("token %s", token).isEqualTo(400);
      assertThat(r.body()).contains("id=\"sign-in-form\"").contains("role=\"alert\"");
      assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
      assertThat(browser.session()).isNull();
    }
    assertThat(new ConsoleBrowser(api).signIn(TestTokens.withScope(portal, "webhooks.UPDATE")).body())
        .contains("webhooks.READ");
  }

  @Test
  void withoutASessionAConsolePageRedirectsToSignIn() throws Exception {
    ConsoleBrowser anonymous = new ConsoleBrowser(api);
    for (String path : List.of("/console", "/console/" + newPortal(), "/console/x/webhooks/1")) {
      HttpResponse<String> r = anonymous.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).hasValue("/console/sign-in");
    }
    assertThat(anonymous.page("/console/sign-in")).contains("<label for=\"token\">");
    assertThat(anonymous.get("/console/assets/console.css").statusCode()).isEqualTo(200);
    HttpResponse<String> htmx = anonymous.get(ConsolePages.HTMX);
    assertThat(htmx.statusCode()).isEqualTo(200);
    assertThat(htmx.body()).contains("htmx");
  }

  @Test
  void theOverviewRanksFailingWebhooksFirst() throws Exception {
    String portal = newPortal();
    String healthy = api.createWebhook(portal);
    String failing = api.createWebhook(portal);
    String quiet = api.createWebhook(portal);
    long now = System.currentTimeMillis();
    api.write("attempts", healthy, AttemptSamples.attempt(portal, healthy, "h1", AttemptStatus.SENT, now - 60_000));
    api.write("attempts", failing, AttemptSamples.attempt(portal, failing, "f1", AttemptStatus.ERROR, now - 50_000));
    api.write("attempts", failing, AttemptSamples.attempt(portal, failing, "f2", AttemptStatus.TIMEOUT, now - 40_000));
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));

    List<String> order = await("the failing webhook ranked first").atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> rows(browser.get("/console/" + portal)), rows -> rows.size() == 3 && rows.get(0).equals(failing)
            && rows.get(1).equals(healthy));
    assertThat(order).containsExactly(failing, healthy, quiet);
    String page = browser.page("/console/" + portal);
    assertThat(page).contains("https://example.com/hook").contains("conversation.created")
        .contains("/console/" + portal + "/webhooks/" + failing + "/sparkline");

    String spark = awaitPage(browser, "/console/" + portal + "/webhooks/" + failing + "/sparkline",
        html -> html.contains("2 failed"));
    assertThat(spark).startsWith("<svg").contains("<title").contains("0 delivered");
  }

  @Test
  void theWebhookAndExecutionPagesShowTheEvidenceEscaped() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    FailedExecution hostile = hostile(failed(portal, webhook, "exec-1", T));
    api.write("dead-letter", webhook, hostile);
    io.hookline.avro.Attempt first = AttemptSamples.attempt(portal, webhook, "exec-1", 1, AttemptStatus.ERROR,
        FailedExecutionSamples_EVENT, T - 180_000);
    first.setRequestHeaders(Map.of("webhook-id", "exec-1", "webhook-timestamp", String.valueOf((T - 180_000) / 1000),
        "webhook-signature", "v1,c2lnbmF0dXJlLW9mLWF0dGVtcHQtMQ=="));
    api.write("attempts", webhook, first);
    api.write("attempts", webhook, AttemptSamples.attempt(portal, webhook, "exec-1", 2, AttemptStatus.TIMEOUT,
        FailedExecutionSamples_EVENT, T - 60_000));
    api.write("attempts", webhook, AttemptSamples.attempt(portal, webhook, "other", 1, AttemptStatus.ERROR,
        FailedExecutionSamples_EVENT, T - 100_000));
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));
    String webhookPath = "/console/" + portal + "/webhooks/" + webhook;

    String page = awaitPage(browser, webhookPath, html -> html.contains("data-execution-id=\"exec-1\"")
        && html.contains("data-attempt-execution-id=\"other\""));
    assertThat(page).contains("<h1>Webhook " + webhook + "</h1>").contains("id=\"deliveries-chart\"")
        .contains("id=\"latency-chart\"").contains("id=\"stats-table\"")
        .contains("href=\"/console/" + portal + "/webhooks/" + webhook + "/executions/exec-1\"")
        .contains("Disable webhook").contains("Rotate signing secret").contains("id=\"replay-link\"");
    assertThat(page).as("the webhook's ordering").contains("<dd id=\"webhook-ordering\">Unordered</dd>");
    assertThat(browser.page(webhookPath + "?status=SENT")).doesNotContain("data-attempt-execution-id=\"other\"");
    assertThat(browser.page(webhookPath + "?events=no.such.event")).doesNotContain("data-execution-id=\"exec-1\"")
        .contains("id=\"no-failures\"");
    assertThat(browser.get(webhookPath + "?from_time=yesterday").statusCode()).isEqualTo(400);
    assertThat(browser.get(webhookPath + "?from_time=yesterday").body()).contains("from_time");

    String execution = awaitPage(browser, webhookPath + "/executions/exec-1",
        html -> html.contains("data-attempt=\"2\""));
    assertThat(execution).contains("<h1>Execution exec-1</h1>").contains("data-attempt=\"1\"")
        .contains("No response within 10s").contains("Retry now");
    assertThat(execution).as("the headers attempt 1 sent, and none recorded for attempt 2")
        .contains("v1,c2lnbmF0dXJlLW9mLWF0dGVtcHQtMQ==").contains(String.valueOf((T - 180_000) / 1000))
        .contains("No headers recorded: no request was made.");
    assertThat(execution.indexOf("data-attempt=\"1\"")).isLessThan(execution.indexOf("data-attempt=\"2\""));
    assertThat(execution).as("payload and error escaped")
        .doesNotContain("<script>alert").doesNotContain("<img src=x")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;");
    assertThat(browser.get(webhookPath + "/executions/no-such").statusCode()).isEqualTo(404);
  }

  @Test
  void anotherPortalIsRefusedExactlyAsByTheApi() throws Exception {
    String portal = newPortal();
    String other = newPortal();
    String foreign = api.createWebhook(other);
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));

    HttpResponse<String> otherPortal = browser.get("/console/" + other);
    assertThat(otherPortal.statusCode()).isEqualTo(403);
    assertThat(otherPortal.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(otherPortal.body()).contains("<h1>Access refused</h1>").contains(other);
    assertThat(browser.get("/console/" + other + "/webhooks/" + foreign).statusCode()).isEqualTo(403);
    HttpResponse<String> underOwn = browser.get("/console/" + portal + "/webhooks/" + foreign);
    assertThat(underOwn.statusCode()).as("another portal's id under one's own portal").isEqualTo(404);
    assertThat(underOwn.body()).contains("<h1>Not found</h1>");
  }

  @Test
  void retryFromTheConsoleNeedsTheCsrfTokenAndQueuesARedelivery() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    api.write("dead-letter", webhook, failed(portal, webhook, "to-retry", T));
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));
    String executionPath = "/console/" + portal + "/webhooks/" + webhook + "/executions/to-retry";
    awaitPage(browser, executionPath, html -> html.contains("Retry now"));

    HttpResponse<String> forged = browser.postForm(executionPath + "/retry", Map.of());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CSRF");
    assertThat(browser.postForm(executionPath + "/retry", Map.of("_csrf", "made-up")).statusCode()).isEqualTo(403);
    assertThat(redeliveries.values(r -> r.getWebhookId().equals(webhook))).isEmpty();

    HttpResponse<String> retried = browser.submit(executionPath, executionPath + "/retry", Map.of());
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    assertThat(retried.body()).contains("<h1>Retry queued</h1>").contains("to-retry");
    RetryRequest queued = redeliveries.awaitOne(r -> r.getExecutionId().equals("to-retry"), VISIBLE_WITHIN);
    assertThat(queued.getTrigger()).isEqualTo(Trigger.MANUAL);
    assertThat(queued.getWebhookId()).isEqualTo(webhook);
  }

  @Test
  void bulkReplaySaysHowManyFirstThenQueuesThem() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    for (int i = 0; i < 3; i++) {
      api.write("dead-letter", webhook, failed(portal, webhook, "bulk-" + i, T + i));
    }
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));
    String webhookPath = "/console/" + portal + "/webhooks/" + webhook;
    awaitPage(browser, webhookPath, html -> html.contains("data-execution-id=\"bulk-2\"")
        && html.contains("data-execution-id=\"bulk-0\""));

    String confirm = browser.page(webhookPath + "/replay?from_time=" + (T + 1));
    assertThat(confirm).contains("data-count=\"2\"").contains("Re-send 2 now");
    HttpResponse<String> done = browser.submit(webhookPath + "/replay?from_time=" + (T + 1), webhookPath + "/replay",
        Map.of("from_time", Long.toString(T + 1)));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(done.body()).contains("2 failed executions were queued");
    assertThat(redeliveries.await(r -> r.getWebhookId().equals(webhook), 2, VISIBLE_WITHIN))
        .extracting(RetryRequest::getExecutionId).containsExactly("bulk-1", "bulk-2");
  }

  @Test
  void enableDisableAndRotateWorkWithTheUpdateScopeOnly() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    String webhookPath = "/console/" + portal + "/webhooks/" + webhook;
    ConsoleBrowser reader = new ConsoleBrowser(api).signedIn(TestTokens.withScope(portal, "webhooks.READ"));
    String readOnly = reader.page(webhookPath);
    assertThat(readOnly).contains("id=\"actions-note\"").doesNotContain("Disable webhook")
        .doesNotContain("id=\"replay-link\"");
    HttpResponse<String> refused = reader.postForm(webhookPath + "/enabled",
        Map.of("enabled", "false", "_csrf", ConsoleBrowser.csrf(readOnly)));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("webhooks.UPDATE");

    ConsoleBrowser admin = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));
    HttpResponse<String> disabled = admin.submit(webhookPath, webhookPath + "/enabled", Map.of("enabled", "false"));
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    assertThat(disabled.body()).contains("is now disabled");
    assertThat(admin.page(webhookPath)).contains("Enable webhook");
    assertThat(api.readJson("/api/v2/" + portal + "/webhooks/" + webhook).get("enabled").booleanValue()).isFalse();

    HttpResponse<String> rotated = admin.submit(webhookPath, webhookPath + "/secret/rotate", Map.of());
    assertThat(rotated.statusCode()).isEqualTo(200);
    Matcher secret = Pattern.compile("value=\"(whsec_[^\"]+)\"").matcher(rotated.body());
    assertThat(secret.find()).isTrue();
    HttpResponse<String> current = api.get("/api/v2/" + portal + "/webhooks/" + webhook + "/secret",
        TestTokens.forPortal(portal));
    assertThat(ApiUnderTest.JSON.readTree(current.body()).get("secret").asText()).isEqualTo(secret.group(1));
  }

  @Test
  void aCookieAuthenticatedApiWriteNeedsTheCsrfHeaderAndABearerOneDoesNot() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));
    String path = "/api/v2/" + portal + "/webhooks/" + webhook;

    assertThat(browser.get(path).statusCode()).as("the cookie authenticates API reads").isEqualTo(200);
    HttpResponse<String> forged = browser.send(browser.request(path, "Content-Type", "application/json")
        .method("PATCH", BodyPublishers.ofString("{\"enabled\":false}")).build());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CSRF_TOKEN_INVALID");
    HttpResponse<String> rotateForged = browser.send(browser.request(path + "/secret/rotate")
        .POST(BodyPublishers.noBody()).build());
    assertThat(rotateForged.statusCode()).isEqualTo(403);

    String csrf = ConsoleBrowser.csrf(browser.page("/console/" + portal + "/webhooks/" + webhook));
    HttpResponse<String> withHeader = browser.send(browser.request(path, "Content-Type", "application/json",
        "X-CSRF-Token", csrf).method("PATCH", BodyPublishers.ofString("{\"enabled\":false}")).build());
    assertThat(withHeader.statusCode()).as(withHeader.body()).isEqualTo(200);
    HttpResponse<String> bearer = api.post(path + "/secret/rotate", TestTokens.forPortal(portal), null);
    assertThat(bearer.statusCode()).as("bearer calls are unaffected").isEqualTo(200);
  }

  @Test
  void signingOutClearsTheCookieAndNeedsTheCsrfToken() throws Exception {
    String portal = newPortal();
    ConsoleBrowser browser = new ConsoleBrowser(api).signedIn(TestTokens.forPortal(portal));
    assertThat(browser.postForm("/console/sign-out", Map.of()).statusCode()).isEqualTo(403);

    HttpResponse<String> out = browser.submit("/console/" + portal, "/console/sign-out", Map.of());

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/console/sign-in");
    assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c ->
        assertThat(c).startsWith("hookline_session=;").contains("Max-Age=0"));
  }

  @Test
  void aViewThatIsNotReadyIsA503PageThatRetriesNeverAnEmptyList() {
    ConsolePages pages = api.server().getApplicationContext().getBean(ConsolePages.class);

    var r = pages.answer(io.micronaut.http.HttpRequest.GET("/console/p/webhooks/1"), "/console/p", () -> {
      throw new io.hookline.queryapi.view.StoreUnavailableException("rebalancing", null);
    });

    assertThat(r.code()).isEqualTo(503);
    assertThat(r.getHeaders().get("Retry-After")).isEqualTo(Integer.toString(ConsolePages.RETRY_AFTER_SECONDS));
    assertThat(r.body()).contains("<h1>Not ready yet, retrying</h1>")
        .contains("data-retry-after=\"" + ConsolePages.RETRY_AFTER_SECONDS + "\"")
        .doesNotContain("No failed executions");
  }

  @Test
  void aSignInPostedFromAnotherSiteIsRefused() throws Exception {
    ConsoleBrowser browser = new ConsoleBrowser(api);
    HttpResponse<String> r = browser.send(browser.request("/console/sign-in", "Origin", "https://evil.example",
        "Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("token=" + TestTokens.forPortal(newPortal()))).build());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
  }

  private static final String FailedExecutionSamples_EVENT = io.hookline.queryapi.FailedExecutionSamples.EVENT;

  /** {@code original} with markup in its payload and error, as a hostile receiver or producer could send. */
  private static FailedExecution hostile(FailedExecution original) {
    Event event = Event.newBuilder(original.getEvent())
        .setPayload("{\"text\":\"<script>alert(1)</script>\"}").build();
    return FailedExecution.newBuilder(original).setEvent(event)
        .setErrorMessage("<img src=x onerror=alert(2)>").build();
  }

  private static List<String> rows(HttpResponse<String> r) {
    List<String> ids = new ArrayList<>();
    if (r.statusCode() != 200) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      return ids;
    }
    Matcher m = WEBHOOK_ROWS.matcher(r.body());
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /**
   * The page once it answers 200 with what {@code done} looks for; a 503 while the views start, or a 404
   * of an execution page before its failure reached the view, means "not yet".
   */
  private static String awaitPage(ConsoleBrowser browser, String path, java.util.function.Predicate<String> done) {
    return await(path).atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> r = browser.get(path);
      if (r.statusCode() == 503) {
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.body()).contains("Not ready yet");
        return null;
      }
      if (r.statusCode() == 404 && path.contains("/executions/")) {
        return null;
      }
      assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
      return r.body();
    }, html -> html != null && done.test(html));
  }
}
