package io.hookline.queryapi.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.queryapi.QueryApiServers;
import io.hookline.queryapi.TestTokens;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No lost updates across instances: two query-api instances on one broker take 1,000 concurrent
 * changes of one webhook (url, events, enabled, secret rotations, and conditional changes with
 * If-Match, repeated after a 412 as a client would), half through each. Every answer is a 200, or a
 * 412 for a conditional change; the
 * acknowledged changes got distinct revisions with no gap, and replaying them in revision order
 * gives exactly the state each of them answered and the final state: the history is a serial order
 * of the acknowledged changes, none overwritten by a change that did not see it.
 */
@IntegrationTest
class ConcurrentWebhookEditsTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int CHANGES = 1_000;
  private static final int CLIENTS = 48;
  private static final int CONDITIONAL_ATTEMPTS = 5;
  /** Every 412 answered to a conditional change that was then read again and repeated. */
  private static final List<Answer> PRECONDITION_FAILURES = java.util.Collections.synchronizedList(new ArrayList<>());

  private static EmbeddedServer a;
  private static EmbeddedServer b;
  private static String portal;
  private static String token;

  /** One change as sent, and what it was answered. */
  private record Answer(int n, String kind, String value, long ifMatch, int status, long revision, JsonNode body) {}

  @BeforeAll
  static void startTwoInstances() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    String applicationId = "hookline-query-edits-" + UUID.randomUUID();
    CompletableFuture<EmbeddedServer> first = CompletableFuture.supplyAsync(() -> start(prefix, applicationId));
    CompletableFuture<EmbeddedServer> second = CompletableFuture.supplyAsync(() -> start(prefix, applicationId));
    a = first.get(90, TimeUnit.SECONDS);
    b = second.get(90, TimeUnit.SECONDS);
    portal = "portal" + UUID.randomUUID().toString().substring(0, 8);
    token = TestTokens.withScope(portal, TestTokens.ALL_SCOPES);
  }

  @AfterAll
  static void stop() {
    for (EmbeddedServer server : new EmbeddedServer[] {a, b}) {
      if (server != null && server.getApplicationContext().isRunning()) {
        server.getApplicationContext().close();
      }
    }
  }

  @Test
  void aThousandConcurrentChangesThroughTwoInstancesAreASerialOrderOfTheAcknowledgedOnes() throws Exception {
    HttpResponse<String> created = send(a, "POST", "", "{\"url\":\"https://example.com/start\",\"events\":[\"e.start\"]}",
        null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asText();
    assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");

    long started = System.nanoTime();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<Answer>> pending = new ArrayList<>();
    for (int n = 0; n < CHANGES; n++) {
      int change = n;
      pending.add(clients.submit(() -> change(id, change)));
    }
    List<Answer> answers = new ArrayList<>();
    for (Future<Answer> f : pending) {
      answers.add(f.get(120, TimeUnit.SECONDS));
    }
    clients.shutdown();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    List<Answer> refused = new ArrayList<>(PRECONDITION_FAILURES);
    refused.addAll(answers.stream().filter(x -> x.status() != 200).toList());
    assertThat(refused).as("only conditional changes may be refused, with 412").allSatisfy(x -> {
      assertThat(x.status()).as("%s", x).isEqualTo(412);
      assertThat(x.ifMatch()).isPositive();
      assertThat(x.body().get("code").asText()).isEqualTo("PRECONDITION_FAILED");
      assertThat(x.revision()).as("a 412 names the current ETag").isGreaterThan(x.ifMatch());
    });
    List<Answer> acknowledged = answers.stream().filter(x -> x.status() == 200)
        .sorted(Comparator.comparingLong(Answer::revision)).toList();
    assertThat(acknowledged.stream().filter(x -> x.ifMatch() > 0))
        .as("a conditional change is applied exactly on top of the revision it named")
        .allSatisfy(x -> assertThat(x.revision()).isEqualTo(x.ifMatch() + 1));
    Set<Long> revisions = new HashSet<>();
    acknowledged.forEach(x -> revisions.add(x.revision()));
    assertThat(revisions).as("each acknowledged change has a revision of its own, none skipped")
        .hasSize(acknowledged.size());
    assertThat(acknowledged.get(acknowledged.size() - 1).revision()).isEqualTo(1 + acknowledged.size());

    // Replay in revision order: each answer shows the state after exactly the changes before it.
    Map<String, String> state = new HashMap<>(Map.of("url", "https://example.com/start", "events", "e.start",
        "enabled", "true"));
    String secret = null;
    for (Answer x : acknowledged) {
      if (x.kind().equals("rotate")) {
        secret = x.body().get("secret").asText();
        continue;
      }
      state.put(x.kind(), x.value());
      assertThat(view(x.body())).as("answer to change %s (revision %s)", x.n(), x.revision()).isEqualTo(state);
    }
    HttpResponse<String> last = send(b, "GET", "/" + id, null, null);
    assertThat(view(JSON.readTree(last.body()))).as("final state").isEqualTo(state);
    assertThat(last.headers().firstValue("ETag")).hasValue("\"" + (1 + acknowledged.size()) + "\"");
    assertThat(JSON.readTree(send(a, "GET", "/" + id + "/secret", null, null).body()).get("secret").asText())
        .as("the secret of the last acknowledged rotation").isEqualTo(secret);
    System.out.printf("%d changes through two instances in %d ms: %d acknowledged, %d answers 412%n",
        CHANGES, millis, acknowledged.size(), refused.size());
    assertThat(refused).as("some conditional changes met a concurrent change").isNotEmpty();
    assertThat(acknowledged.stream().filter(x -> x.ifMatch() > 0)).as("conditional changes acknowledged")
        .isNotEmpty();
  }

  /**
   * Change {@code n}: through instance A when even, B when odd; by its remainder a url, events or
   * enabled change, a rotation, or a url change conditional on the revision just read.
   */
  private static Answer change(String id, int n) throws Exception {
    EmbeddedServer via = n % 2 == 0 ? a : b;
    int kind = n % 10;
    if (kind == 7) {
      return answer(n, "rotate", null, 0, send(via, "POST", "/" + id + "/secret/rotate", "", null));
    }
    if (kind >= 8) {
      // As a careful client does: read, change if unchanged, and on 412 read again and repeat.
      for (int attempt = 1; ; attempt++) {
        long seen = revision(send(via, "GET", "/" + id, null, null));
        String url = "https://example.com/if-match/" + n;
        Answer answer = answer(n, "url", url, seen,
            send(via, "PATCH", "/" + id, "{\"url\":\"" + url + "\"}", "\"" + seen + "\""));
        if (answer.status() != 412 || attempt == CONDITIONAL_ATTEMPTS) {
          return answer;
        }
        PRECONDITION_FAILURES.add(answer);
      }
    }
    return switch (kind) {
      case 0, 1, 2, 3 -> {
        String url = "https://example.com/hook/" + n;
        yield answer(n, "url", url, 0, send(via, "PATCH", "/" + id, "{\"url\":\"" + url + "\"}", null));
      }
      case 4, 5 -> answer(n, "events", "e." + n, 0,
          send(via, "PATCH", "/" + id, "{\"events\":[\"e." + n + "\"]}", null));
      default -> {
        String enabled = Boolean.toString(n % 20 < 10);
        yield answer(n, "enabled", enabled, 0, send(via, "PATCH", "/" + id, "{\"enabled\":" + enabled + "}", null));
      }
    };
  }

  private static Answer answer(int n, String kind, String value, long ifMatch, HttpResponse<String> r)
      throws IOException {
    return new Answer(n, kind, value, ifMatch, r.statusCode(), revision(r), JSON.readTree(r.body()));
  }

  private static long revision(HttpResponse<String> r) {
    String tag = r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + r.statusCode()
        + " " + r.body()));
    return Long.parseLong(tag.replace("\"", ""));
  }

  private static Map<String, String> view(JsonNode webhook) {
    return Map.of("url", webhook.get("url").asText(), "events", webhook.get("events").get(0).asText(),
        "enabled", webhook.get("enabled").asText());
  }

  private static HttpResponse<String> send(EmbeddedServer via, String method, String path, String body, String ifMatch)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://localhost:" + via.getPort() + "/api/v2/" + portal + "/webhooks" + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  private static EmbeddedServer start(String prefix, String applicationId) {
    return QueryApiServers.start(Map.of(
        "hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers(),
        "hookline.topic-prefix", prefix,
        "hookline.topic-partitions", 2,
        "hookline.query-application-id", applicationId,
        "hookline.state-dir", TestTokens.freshStateDir(),
        // Generous for a loaded CI machine: a 503 would fail the test, though it loses nothing.
        "hookline.write-timeout", "60s"));
  }

}
