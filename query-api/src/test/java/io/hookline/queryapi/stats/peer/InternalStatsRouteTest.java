package io.hookline.queryapi.stats.peer;

import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.AttemptSamples.attempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.testing.IntegrationTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The internal overview route another instance asks ({@code POST /internal/v1/{portal}/stats}, the
 * ids in the body): answered with the summaries of the caller's webhooks, refused for ids of
 * another portal (as if unknown) and for tokens without the portal's READ scope.
 */
@IntegrationTest
class InternalStatsRouteTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void answersTheSummariesOfThePortalsWebhooksOnlyToItsReaders() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    String quiet = api.createWebhook(portal);
    String foreign = api.createWebhook(newPortal());
    long now = System.currentTimeMillis();
    api.write("attempts", webhook, attempt(portal, webhook, "x", 1, AttemptStatus.SENT, "conversation.created",
        now - 60_000));
    byte[] question = StatsWire.question(new StatsWire.OverviewQuestion(now - 3_600_000, now,
        List.of(webhook, quiet)));
    String reader = TestTokens.withScope(portal, "webhooks.READ");

    Map<String, WebhookSummary> summaries = await("the attempt counted").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          HttpResponse<byte[]> r = post(portal, reader, question);
          return r.statusCode() == 200 ? StatsWire.readSummaries(r.body()) : null;
        }, s -> s != null && s.get(webhook).attempts() == 1);

    assertThat(summaries).containsOnlyKeys(webhook, quiet);
    assertThat(summaries.get(webhook).delivered()).isEqualTo(1);
    assertThat(summaries.get(quiet)).isEqualTo(WebhookSummary.empty(quiet));
    byte[] withForeign = StatsWire.question(new StatsWire.OverviewQuestion(now - 3_600_000, now,
        List.of(webhook, foreign)));
    assertThat(post(portal, reader, withForeign).statusCode()).isEqualTo(404);
    assertThat(post(portal, TestTokens.forPortal(newPortal()), question).statusCode()).isEqualTo(403);
    assertThat(post(portal, TestTokens.withScope(portal, "webhooks.CREATE"), question).statusCode()).isEqualTo(403);
    assertThat(post(portal, reader, new byte[] {42}).statusCode()).isEqualTo(400);
  }

  private static HttpResponse<byte[]> post(String portal, String token, byte[] body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(api.uri(PeerProtocol.INTERNAL_PREFIX + portal + "/stats"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", PeerProtocol.RECORDS_MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
