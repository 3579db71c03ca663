package io.hookline.queryapi.stats.http;

import static io.hookline.queryapi.ApiUnderTest.assertNamed;
import static io.hookline.queryapi.ApiUnderTest.fieldNames;
import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.AttemptSamples.attempt;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.Attempt;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET .../webhooks/{id}/stats} and {@code GET .../stats} as a client sees them: the real
 * application on a random port, a real broker, attempts and dead letters written to their topics
 * as the dispatcher writes them, counted by Kafka Streams and read back.
 */
@IntegrationTest
class StatsApiTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;
  private static final long DAY = 24 * HOUR;
  /** Two whole hours ago, well inside the default retention (7 days) and the default range (24 h). */
  private static final long BASE = Math.floorDiv(System.currentTimeMillis(), HOUR) * HOUR - 2 * HOUR;

  @Test
  void aWebhooksSeriesCountsEachOutcomeDeadLettersAndLatencyPerStepAndInTotal() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(attempt(portal, webhook, "a", 1, AttemptStatus.SENT, "conversation.created", BASE + MINUTE));
    Attempt error = attempt(portal, webhook, "b", 1, AttemptStatus.ERROR, "conversation.created", BASE + 2 * MINUTE);
    write(error);
    write(error);
    write(attempt(portal, webhook, "b", 2, AttemptStatus.TIMEOUT, "conversation.created", BASE + 65 * MINUTE));
    api.write("dead-letter", webhook, failed(portal, webhook, "b", BASE + 65 * MINUTE));
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/stats";
    String range = "?from_time=" + BASE + "&to_time=" + (BASE + 3 * HOUR - 1);

    JsonNode stats = api.awaitJson(path + range, "three attempts and a dead letter",
        s -> s.get("totals").get("attempts").asLong() == 3 && s.get("totals").get("dead_letters").asLong() == 1);

    assertThat(fieldNames(stats)).containsExactly("url", "object", "webhook_id", "from_time", "to_time", "interval",
        "totals", "data");
    assertThat(stats.get("url").asText()).isEqualTo(path + range);
    assertThat(stats.get("object").asText()).isEqualTo("webhook_stats");
    assertThat(stats.get("webhook_id").asText()).isEqualTo(webhook);
    assertThat(stats.get("from_time").asLong()).isEqualTo(BASE);
    assertThat(stats.get("to_time").asLong()).isEqualTo(BASE + 3 * HOUR - 1);
    assertThat(stats.get("interval").asText()).isEqualTo("1h");
    JsonNode totals = stats.get("totals");
    assertThat(fieldNames(totals)).containsExactly("attempts", "delivered", "failures", "dead_letters", "success_rate",
        "by_outcome", "p50_ms", "p95_ms", "p99_ms", "last_success_time", "last_failure_time");
    assertThat(totals.get("delivered").asLong()).isEqualTo(1);
    assertThat(totals.get("failures").asLong()).isEqualTo(2);
    assertThat(totals.get("success_rate").asDouble()).isEqualTo(1.0 / 3);
    assertThat(totals.get("by_outcome")).isEqualTo(ApiUnderTest.JSON.readTree("{\"delivered\":1,\"http_error\":1,"
        + "\"timeout\":1,\"connection_error\":0,\"refused\":0,\"circuit_open\":0,\"not_sent\":0}"));
    assertThat(totals.get("p50_ms").asLong()).as("42 ms, within the histogram's 10%").isBetween(42L, 46L);
    assertThat(totals.get("p99_ms").asLong()).isEqualTo(10_000);
    assertThat(totals.get("last_success_time").asLong()).isEqualTo(BASE + MINUTE);
    assertThat(totals.get("last_failure_time").asLong()).isEqualTo(BASE + 65 * MINUTE);

    JsonNode data = stats.get("data");
    assertThat(data).hasSize(3);
    JsonNode first = data.get(0);
    assertThat(fieldNames(first)).containsExactly("start_time", "attempts", "delivered", "failures", "by_outcome",
        "dead_letters", "p50_ms", "p95_ms", "p99_ms", "last_success_time", "last_failure_time");
    assertThat(first.get("start_time").asLong()).isEqualTo(BASE);
    assertThat(first.get("attempts").asLong()).isEqualTo(2);
    assertThat(first.get("by_outcome").get("http_error").asLong()).isEqualTo(1);
    assertThat(data.get(1).get("by_outcome").get("timeout").asLong()).isEqualTo(1);
    assertThat(data.get(1).get("dead_letters").asLong()).isEqualTo(1);
    assertThat(data.get(1).get("last_success_time").isNull()).isTrue();
    JsonNode empty = data.get(2);
    assertThat(empty.get("attempts").asLong()).isZero();
    assertThat(empty.get("p50_ms").isNull()).isTrue();

    JsonNode byMinute = api.readJson(path + "?from_time=" + BASE + "&to_time=" + (BASE + 2 * HOUR - 1)
        + "&interval=1m");
    assertThat(byMinute.get("data")).hasSize(120);
    assertThat(byMinute.get("data").get(1).get("delivered").asLong()).isEqualTo(1);
    assertThat(byMinute.get("data").get(65).get("failures").asLong()).isEqualTo(1);
    // Days are UTC days: the three attempts fall in one, or in two when this runs within two hours after midnight.
    Map<Long, Long> attemptsPerDay = Stream.of(BASE + MINUTE, BASE + 2 * MINUTE, BASE + 65 * MINUTE)
        .collect(Collectors.groupingBy(t -> Math.floorDiv(t, DAY) * DAY, TreeMap::new, Collectors.counting()));
    Map<Long, Long> dailySeries = new TreeMap<>();
    api.readJson(path + range + "&interval=1d").get("data")
        .forEach(day -> dailySeries.put(day.get("start_time").asLong(), day.get("attempts").asLong()));
    assertThat(dailySeries).isEqualTo(attemptsPerDay);

    JsonNode lastDay = api.readJson(path);
    assertThat(lastDay.get("interval").asText()).isEqualTo("1h");
    assertThat(lastDay.get("totals").get("attempts").asLong()).isEqualTo(3);
    assertThat(lastDay.get("data").size()).isBetween(24, 25);
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of("interval=2m", "interval"),
        Arguments.of("interval=", "interval"),
        Arguments.of("interval=1m&from_time=2020-01-01", "interval"),
        Arguments.of("interval=1h&interval=1d", "interval"),
        Arguments.of("from_time=yesterday", "from_time"),
        Arguments.of("to_time=abc", "to_time"),
        Arguments.of("from_time=2000&to_time=1000", "from_time"));
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void aBadParameterIsA400NamingIt(String query, String parameter) throws Exception {
    assertNamed(api.getAsReader(api.sharedWebhookPath() + "/stats?" + query), parameter);
  }

  @Test
  void theOverviewRefusesABadRangeNamingTheParameter() throws Exception {
    String portal = newPortal();
    assertNamed(api.getAsReader("/api/v2/" + portal + "/stats?from_time=soon"), "from_time");
    assertNamed(api.getAsReader("/api/v2/" + portal + "/stats?from_time=2000&to_time=1000"), "from_time");
  }

  @Test
  void anotherPortalsWebhookOrAnUnknownIdIsA404AndTheScopesAreChecked() throws Exception {
    api.assertOnlyItsPortalsReadersSee("stats");
    String portal = newPortal();
    assertThat(api.get("/api/v2/" + portal + "/stats", TestTokens.forPortal(newPortal())).statusCode())
        .isEqualTo(403);
    assertThat(api.get("/api/v2/" + portal + "/stats", TestTokens.withScope(portal, "webhooks.CREATE"))
        .statusCode()).isEqualTo(403);
  }

  @Test
  void theOverviewListsEveryWebhookOfThePortalFailingFirst() throws Exception {
    String portal = newPortal();
    String early = api.createWebhook(portal);
    String late = api.createWebhook(portal);
    String healthy = api.createWebhook(portal);
    String idle = api.createWebhook(portal);
    api.createWebhook(newPortal());
    for (int i = 0; i < 2; i++) {
      write(attempt(portal, early, "e" + i, 1, AttemptStatus.ERROR, "conversation.created", BASE + i * MINUTE));
      write(attempt(portal, late, "l" + i, 1, AttemptStatus.TIMEOUT, "conversation.created", BASE + 10 * MINUTE + i));
    }
    write(attempt(portal, early, "e9", 1, AttemptStatus.SENT, "conversation.created", BASE + 20 * MINUTE));
    write(attempt(portal, healthy, "h", 1, AttemptStatus.SENT, "conversation.created", BASE + 30 * MINUTE));
    api.write("dead-letter", early, failed(portal, early, "e1", BASE + MINUTE));
    String path = "/api/v2/" + portal + "/stats";

    JsonNode overview = api.awaitJson(path, "every attempt counted", o -> {
      long attempts = 0;
      long deadLetters = 0;
      for (JsonNode item : o.get("data")) {
        attempts += item.get("attempts").asLong();
        deadLetters += item.get("dead_letters").asLong();
      }
      return attempts == 6 && deadLetters == 1;
    });

    assertThat(fieldNames(overview)).containsExactly("url", "object", "from_time", "to_time", "data");
    assertThat(overview.get("object").asText()).isEqualTo("list");
    List<String> quiet = new ArrayList<>(List.of(healthy, idle));
    quiet.sort(null);
    List<String> order = new ArrayList<>();
    overview.get("data").forEach(item -> order.add(item.get("webhook_id").asText()));
    assertThat(order).containsExactly(late, early, quiet.get(0), quiet.get(1));
    JsonNode first = overview.get("data").get(0);
    assertThat(fieldNames(first)).containsExactly("webhook_id", "url", "events", "enabled", "attempts", "delivered",
        "failures", "dead_letters", "success_rate", "last_success_time", "last_failure_time", "p95_ms");
    assertThat(first.get("url").asText()).isEqualTo("https://example.com/hook");
    assertThat(first.get("events").get(0).asText()).isEqualTo("conversation.created");
    assertThat(first.get("enabled").asBoolean()).isTrue();
    assertThat(first.get("success_rate").asDouble()).isZero();
    assertThat(first.get("p95_ms").asLong()).isEqualTo(10_000);
    assertThat(first.get("last_failure_time").asLong()).isEqualTo(BASE + 10 * MINUTE + 1);
    JsonNode second = overview.get("data").get(1);
    assertThat(second.get("failures").asLong()).isEqualTo(2);
    assertThat(second.get("dead_letters").asLong()).isEqualTo(1);
    assertThat(second.get("success_rate").asDouble()).isEqualTo(1.0 / 3);
    assertThat(second.get("last_success_time").asLong()).isEqualTo(BASE + 20 * MINUTE);
    JsonNode idleItem = overview.get("data").get(quiet.indexOf(idle) + 2);
    assertThat(idleItem.get("attempts").asLong()).isZero();
    assertThat(idleItem.get("success_rate").isNull()).isTrue();
    assertThat(idleItem.get("p95_ms").isNull()).isTrue();

    JsonNode before = api.readJson(path + "?to_time=" + (BASE - 1));
    assertThat(before.get("data")).hasSize(4).allMatch(item -> item.get("attempts").asLong() == 0);
  }

  private static void write(Attempt a) throws Exception {
    api.write("attempts", a.getWebhookId(), a);
  }
}
