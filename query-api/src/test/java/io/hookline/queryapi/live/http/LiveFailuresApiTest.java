package io.hookline.queryapi.live.http;

import static io.hookline.queryapi.ApiUnderTest.assertNamed;
import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static io.hookline.queryapi.FailedExecutionSamples.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.live.LiveFailureStreams;
import io.hookline.queryapi.live.http.SseClient.Received;
import io.hookline.testing.IntegrationTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v2/{screenname}/failures/stream} as a browser's EventSource uses it: the real
 * application against a real broker, failed executions written to the dead-letter topic as the
 * dispatcher writes them, read by a client that streams the body line by line.
 */
@IntegrationTest
class LiveFailuresApiTest {

  private static final int MAX_STREAMS = 3;

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass(Map.of(
      "hookline.live-streams-max", MAX_STREAMS,
      "hookline.live-heartbeat", "1s"));

  private static final ObjectMapper JSON = ApiUnderTest.JSON;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final long T = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();

  private final List<SseClient> clients = new ArrayList<>();

  @AfterEach
  void closeStreams() {
    clients.forEach(SseClient::close);
  }

  private static String path(String portal) {
    return "/api/v2/" + portal + "/failures/stream";
  }

  /** A stream of {@code portal} as its reader, from {@code lastEventId} unless null; open once it has started. */
  private SseClient open(String portal, String lastEventId) throws Exception {
    SseClient client = SseClient.open(api.uri(path(portal)), TestTokens.withScope(portal, "webhooks.READ"), lastEventId);
    clients.add(client);
    assertThat(client.status()).isEqualTo(200);
    Received start = client.next();
    assertThat(start.isHeartbeat()).as("the first item is the start position").isTrue();
    assertThat(start.id()).isNotBlank();
    return client;
  }

  private static FailedExecution failure(String portal, String webhook) {
    return failed(portal, webhook, "x-" + UUID.randomUUID(), T);
  }

  private static void write(FailedExecution f) throws Exception {
    api.write("dead-letter", f.getWebhookId(), f);
  }

  private static String idOf(Received r) throws Exception {
    return JSON.readTree(r.data()).get("id").asText();
  }

  @Test
  void newFailuresOfItsPortalArriveLiveAsListItemsAndResolutionsFollow() throws Exception {
    String portal = newPortal();
    String other = newPortal();
    String webhook = api.createWebhook(portal);
    String foreign = api.createWebhook(other);
    SseClient stream = open(portal, null);
    SseClient others = open(other, null);
    assertThat(stream.contentType()).startsWith("text/event-stream");

    FailedExecution theirs = failure(other, foreign);
    FailedExecution mine = failure(portal, webhook);
    write(theirs);
    write(mine);

    Received failure = stream.nextChange();
    assertThat(failure.event()).isEqualTo("failure");
    assertThat(failure.id()).isNotBlank();
    JsonNode item = JSON.readTree(failure.data());
    assertThat(item.get("id").asText()).isEqualTo(mine.getExecutionId());
    JsonNode listed = api.awaitJson("/api/v2/" + portal + "/webhooks/" + webhook + "/executions", "the failure",
        page -> page.get("data").size() == 1).get("data").get(0);
    assertThat(item).as("the same JSON as the list's item").isEqualTo(listed);
    assertThat(idOf(others.nextChange())).isEqualTo(theirs.getExecutionId());

    write(resolved(mine, T + 60_000));
    Received resolution = stream.nextChange();
    assertThat(resolution.event()).isEqualTo("resolved");
    assertThat(JSON.readTree(resolution.data()))
        .isEqualTo(JSON.readTree("{\"id\":\"" + mine.getExecutionId() + "\",\"webhook_id\":\"" + webhook + "\"}"));
    Received next = stream.next();
    assertThat(next.isHeartbeat()).as("nothing of the other portal, %s", next).isTrue();
  }

  @Test
  void aReconnectWithLastEventIdGetsExactlyWhatItMissed() throws Exception {
    String portal = newPortal();
    List<String> webhooks = List.of(api.createWebhook(portal), api.createWebhook(portal), api.createWebhook(portal));
    FailedExecution first = failure(portal, webhooks.get(0));
    String lastEventId;
    try (SseClient stream = open(portal, null)) {
      write(first);
      Received got = stream.nextChange();
      assertThat(idOf(got)).isEqualTo(first.getExecutionId());
      lastEventId = got.id();
    }

    // Missed while away, across partitions: four failures and a resolution.
    List<FailedExecution> missed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      missed.add(failure(portal, webhooks.get(i % webhooks.size())));
    }
    for (FailedExecution f : missed) {
      write(f);
    }
    write(resolved(first, T + 60_000));

    SseClient resumed = open(portal, lastEventId);
    List<String> got = new ArrayList<>();
    for (int i = 0; i < missed.size() + 1; i++) {
      Received r = resumed.nextChange();
      got.add(r.event() + " " + idOf(r));
    }
    List<String> expected = new ArrayList<>(missed.stream().map(f -> "failure " + f.getExecutionId()).toList());
    expected.add("resolved " + first.getExecutionId());
    assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(got.stream().filter(e -> e.endsWith(missed.get(0).getExecutionId()) || e.endsWith(missed.get(3)
        .getExecutionId()) || e.startsWith("resolved")).toList())
        .as("in log order within a webhook's partition")
        .containsExactly("failure " + missed.get(0).getExecutionId(), "failure " + missed.get(3).getExecutionId(),
            "resolved " + first.getExecutionId());

    // Then live, with nothing repeated.
    FailedExecution live = failure(portal, webhooks.get(1));
    write(live);
    Received next = resumed.nextChange();
    assertThat(idOf(next)).isEqualTo(live.getExecutionId());
    resumed.close();

    // Resuming from the last event gets only what comes after it.
    SseClient again = open(portal, next.id());
    FailedExecution later = failure(portal, webhooks.get(2));
    write(later);
    assertThat(idOf(again.nextChange())).isEqualTo(later.getExecutionId());
  }

  @Test
  void aStreamThatGotNoFailureResumesFromItsStartPosition() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    SseClient stream = SseClient.open(api.uri(path(portal)), TestTokens.forPortal(portal), null);
    clients.add(stream);
    String start = stream.next().id();
    stream.close();

    FailedExecution whileAway = failure(portal, webhook);
    write(whileAway);

    SseClient resumed = open(portal, start);
    assertThat(idOf(resumed.nextChange())).isEqualTo(whileAway.getExecutionId());
  }

  @Test
  void heartbeatsKeepAnIdleStreamBusy() throws Exception {
    SseClient stream = open(newPortal(), null);
    for (int i = 0; i < 2; i++) {
      Received beat = stream.next();
      assertThat(beat.isHeartbeat()).isTrue();
      assertThat(beat.comment()).isEqualTo("heartbeat");
      assertThat(beat.id()).isNotBlank();
    }
  }

  @Test
  void onlyItsPortalsReadersMayListenAndAMalformedLastEventIdIsA400() throws Exception {
    String portal = newPortal();
    assertThat(get(portal, null, null).statusCode()).isEqualTo(401);
    assertThat(get(portal, TestTokens.forPortal(newPortal()), null).statusCode()).isEqualTo(403);
    assertThat(get(portal, TestTokens.withScope(portal, "webhooks.CREATE webhooks.UPDATE"), null).statusCode())
        .as("needs webhooks.READ").isEqualTo(403);
    for (String bad : List.of("abc!", "1..2", "-5", "zzzzzzzzzzzzzzzzzzzz", "1,2")) {
      assertNamed(get(portal, TestTokens.forPortal(portal), bad), "Last-Event-ID");
    }
  }

  @Test
  void beyondTheLimitA503WithRetryAfterUntilAStreamEnds() throws Exception {
    LiveFailureStreams streams = api.server().getApplicationContext().getBean(LiveFailureStreams.class);
    await("streams of earlier tests closed").atMost(Duration.ofSeconds(30)).until(() -> streams.openStreams() == 0);
    String portal = newPortal();
    List<SseClient> open = new ArrayList<>();
    for (int i = 0; i < MAX_STREAMS; i++) {
      open.add(open(portal, null));
    }

    HttpResponse<String> refused = get(portal, TestTokens.forPortal(portal), null);
    ApiUnderTest.error(refused, 503, "LIVE_STREAMS_FULL");
    assertThat(refused.headers().firstValue("Retry-After")).contains("5");

    open.get(0).close();
    await("a stream ends").atMost(Duration.ofSeconds(30)).until(() -> streams.openStreams() < MAX_STREAMS);
    assertThat(open(portal, null)).isNotNull();
  }

  /** A plain GET of the stream, for answers that are not a stream. */
  private static HttpResponse<String> get(String portal, String token, String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path(portal))).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return HTTP.send(b.GET().build(), BodyHandlers.ofString());
  }
}
