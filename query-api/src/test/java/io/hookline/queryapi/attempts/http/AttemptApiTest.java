package io.hookline.queryapi.attempts.http;

import static io.hookline.queryapi.ApiUnderTest.assertNamed;
import static io.hookline.queryapi.ApiUnderTest.fieldNames;
import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.ApiUnderTest.values;
import static io.hookline.queryapi.AttemptSamples.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.Attempt;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.testing.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET .../webhooks/{id}/attempts} as a client sees it: the real application on a random
 * port, a real broker, attempts written to the attempts topic as the dispatcher writes them, read
 * back through Kafka Streams with every filter, offsets, cursors and links.
 */
@IntegrationTest
class AttemptApiTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final ObjectMapper JSON = ApiUnderTest.JSON;
  private static final long T = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();

  @Test
  void listsEveryAttemptWithItsOutcomeNewestFirst() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(attempt(portal, webhook, "x", 1, AttemptStatus.ERROR, "conversation.created", T - 3_000));
    write(attempt(portal, webhook, "x", 2, AttemptStatus.TIMEOUT, "conversation.created", T - 2_000));
    Attempt sent = attempt(portal, webhook, "x", 3, AttemptStatus.SENT, "conversation.created", T - 1_000);
    sent.setResponseExcerpt("y".repeat(5_000));
    sent.setRequestHeaders(Map.of("webhook-id", "x", "webhook-timestamp", "1741607999",
        "webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,SVqo5RDTbpAZN2OzmGaOUp0xpFNhHdl+Eyqv7Jt5LbU="));
    write(sent);
    String path = attemptsPath(portal, webhook);

    JsonNode page = awaitTotal(path, 3);

    assertThat(fieldNames(page)).containsExactly("url", "object", "data", "pagination", "next_cursor",
        "previous_cursor", "next", "previous");
    assertThat(page.get("url").asText()).isEqualTo(path);
    assertThat(page.get("pagination")).isEqualTo(JSON.readTree("{\"total\":3,\"limit\":50,\"offset\":0}"));
    assertThat(page.get("next").isNull()).isTrue();
    assertThat(page.get("previous").isNull()).isTrue();
    assertThat(attempts(page)).containsExactly("x#3", "x#2", "x#1");

    JsonNode delivered = page.get("data").get(0);
    assertThat(fieldNames(delivered)).containsExactly("execution_id", "event_id", "event", "url", "attempt",
        "trigger", "status", "http_status", "duration_ms", "created_at", "delivered_at", "response_excerpt", "error",
        "request_headers");
    assertThat(delivered.get("status").asText()).isEqualTo("SENT");
    assertThat(delivered.get("trigger").asText()).isEqualTo("SCHEDULED");
    assertThat(delivered.get("http_status").intValue()).isEqualTo(200);
    assertThat(delivered.get("duration_ms").longValue()).isEqualTo(42);
    assertThat(delivered.get("created_at").asText()).isEqualTo("2025-03-10T11:59:59Z");
    assertThat(delivered.get("delivered_at").asText()).isEqualTo("2025-03-10T11:59:59.042Z");
    assertThat(delivered.get("response_excerpt").asText()).hasSize(AttemptJson.EXCERPT_CHARS);
    assertThat(delivered.get("error").isNull()).isTrue();
    assertThat(delivered.get("request_headers")).isEqualTo(JSON.valueToTree(sent.getRequestHeaders()));

    JsonNode timeout = page.get("data").get(1);
    assertThat(timeout.get("status").asText()).isEqualTo("TIMEOUT");
    assertThat(timeout.get("http_status").isNull()).isTrue();
    assertThat(timeout.get("delivered_at").isNull()).isTrue();
    assertThat(timeout.get("error").get("code").asText()).isEqualTo("TIMEOUT");
    assertThat(timeout.get("request_headers").isNull()).as("written without headers").isTrue();
    JsonNode error = page.get("data").get(2);
    assertThat(error.get("trigger").asText()).isEqualTo("INITIAL");
    assertThat(error.get("http_status").intValue()).isEqualTo(500);
    assertThat(error.get("error")).isEqualTo(JSON.readTree("{\"code\":\"HTTP_ERROR\",\"message\":\"HTTP 500\"}"));
  }

  @Test
  void filtersByStatusEventsAndDateRangeInEveryFormAndOrders() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    long day = 86_400_000L;
    // e1 newest ... e9 oldest, one per 6 hours from 2025-03-10T12:00Z back.
    for (int i = 1; i <= 9; i++) {
      AttemptStatus status = AttemptStatus.values()[i % 3];
      write(attempt(portal, webhook, "e" + i, 1, status, i <= 6 ? "conversation.created" : "chat.ended",
          T - (i - 1) * day / 4));
    }
    // e1 ERROR, e2 TIMEOUT, e3 SENT, e4 ERROR, e5 TIMEOUT, e6 SENT, e7 ERROR, e8 TIMEOUT, e9 SENT
    String path = attemptsPath(portal, webhook);
    awaitTotal(path, 9);

    assertThat(ids(api.readJson(path + "?status=ERROR&status=TIMEOUT")))
        .containsExactly("e1", "e2", "e4", "e5", "e7", "e8");
    assertThat(ids(api.readJson(path + "?status=error,timeout"))).containsExactly("e1", "e2", "e4", "e5", "e7", "e8");
    assertThat(ids(api.readJson(path + "?status=SENT"))).containsExactly("e3", "e6", "e9");
    assertThat(ids(api.readJson(path + "?events=chat.ended"))).containsExactly("e7", "e8", "e9");
    assertThat(ids(api.readJson(path + "?events=chat.ended,conversation.created&status=SENT")))
        .containsExactly("e3", "e6", "e9");
    // 2025-03-10: e1 (12:00), e2 (06:00), e3 (00:00); 2025-03-09: e4 .. e7.
    assertThat(ids(api.readJson(path + "?start_date=2025-03-09&end_date=2025-03-09")))
        .containsExactly("e4", "e5", "e6", "e7");
    assertThat(ids(api.readJson(path + "?end_date=2025-03-08"))).containsExactly("e8", "e9");
    assertThat(ids(api.readJson(path + "?from_time=2025-03-10T00:00:00&till_time=2025-03-10T06:00:00Z")))
        .containsExactly("e2", "e3");
    assertThat(ids(api.readJson(path + "?from_time=" + (T - day / 4) + "&to_time=" + T))).containsExactly("e1", "e2");
    assertThat(ids(api.readJson(path + "?order=created_at&limit=3"))).containsExactly("e9", "e8", "e7");
    assertThat(ids(api.readJson(path + "?order=-created_at&limit=3"))).containsExactly("e1", "e2", "e3");
    JsonNode filtered = api.readJson(path + "?status=ERROR&limit=2");
    assertThat(filtered.get("pagination").get("total").intValue()).isEqualTo(3);
  }

  @Test
  void offsetPagesCountTheTotal() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    writeErrors(portal, webhook, 5);
    String path = attemptsPath(portal, webhook);
    awaitTotal(path, 5);

    JsonNode second = api.readJson(path + "?limit=2&offset=2");
    assertThat(ids(second)).containsExactly("e3", "e4");
    assertThat(second.get("pagination")).isEqualTo(JSON.readTree("{\"total\":5,\"limit\":2,\"offset\":2}"));
    assertThat(ids(api.readJson(path + "?limit=2&offset=4"))).containsExactly("e5");
    JsonNode past = api.readJson(path + "?limit=2&offset=10");
    assertThat(past.get("data")).isEmpty();
    assertThat(past.get("pagination").get("total").intValue()).isEqualTo(5);
    assertThat(past.get("next").isNull()).isTrue();
  }

  @Test
  void nextLinksWalkTheLogOnceWhileNewAttemptsArriveAndPreviousLinksWalkBack() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    writeErrors(portal, webhook, 7);
    write(attempt(portal, webhook, "sent", AttemptStatus.SENT, T - 1_500));
    String path = attemptsPath(portal, webhook);
    awaitTotal(path, 8);

    JsonNode first = api.readJson(path + "?status=ERROR&limit=3&offset=0");
    assertThat(ids(first)).containsExactly("e1", "e2", "e3");
    assertThat(first.get("previous").isNull()).isTrue();
    String next = first.get("next").asText();
    assertThat(next).startsWith(path + "?status=ERROR&limit=3&cursor=")
        .endsWith("cursor=" + first.get("next_cursor").asText());

    write(attempt(portal, webhook, "new1", AttemptStatus.ERROR, T + 1_000));
    write(attempt(portal, webhook, "new2", AttemptStatus.ERROR, T + 2_000));
    awaitTotal(path + "?status=ERROR", 9);

    JsonNode second = api.readJson(next);
    assertThat(ids(second)).as("not shifted by the newer attempts").containsExactly("e4", "e5", "e6");
    assertThat(second.get("pagination").get("total").intValue()).isEqualTo(9);
    assertThat(second.get("pagination").has("offset")).isFalse();
    JsonNode third = api.readJson(second.get("next").asText());
    assertThat(ids(third)).containsExactly("e7");
    assertThat(third.get("next").isNull()).isTrue();
    assertThat(third.get("next_cursor").isNull()).isTrue();

    JsonNode back = api.readJson(third.get("previous").asText());
    assertThat(ids(back)).containsExactly("e4", "e5", "e6");
    JsonNode backAgain = api.readJson(back.get("previous").asText());
    assertThat(ids(backAgain)).containsExactly("e1", "e2", "e3");
    JsonNode newest = api.readJson(backAgain.get("previous").asText());
    assertThat(ids(newest)).containsExactly("new2", "new1");
    assertThat(newest.get("previous").isNull()).isTrue();

    JsonNode byCursor = api.readJson(path + "?status=ERROR&limit=3&cursor=" + first.get("next_cursor").asText());
    assertThat(ids(byCursor)).containsExactly("e4", "e5", "e6");
  }

  @Test
  void aCursorFromAnotherWebhookOrWithOtherFiltersIsRefused() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    String other = api.createWebhook(portal);
    writeErrors(portal, webhook, 3);
    String path = attemptsPath(portal, webhook);
    awaitTotal(path, 3);
    String cursor = api.readJson(path + "?limit=1").get("next_cursor").asText();

    assertThat(ids(api.readJson(path + "?limit=1&cursor=" + cursor))).containsExactly("e2");
    assertNamed(api.getAsReader(attemptsPath(portal, other) + "?cursor=" + cursor), "cursor");
    assertNamed(api.getAsReader(path + "?status=ERROR&cursor=" + cursor), "cursor");
    assertNamed(api.getAsReader(path + "?order=created_at&cursor=" + cursor), "cursor");
    String forged = cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6);
    assertNamed(api.getAsReader(path + "?cursor=" + forged), "cursor");
    String executionsCursor = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions?cursor=" + cursor;
    assertNamed(api.getAsReader(executionsCursor), "cursor");
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of("status=DELIVERED", "status"),
        Arguments.of("status=", "status"),
        Arguments.of("status=ERROR,,SENT", "status"),
        Arguments.of("events=", "events"),
        Arguments.of("events=a,,b", "events"),
        Arguments.of("from_time=yesterday", "from_time"),
        Arguments.of("from_time=-5", "from_time"),
        Arguments.of("start_date=2026-13-01", "start_date"),
        Arguments.of("end_date=2026-02-30", "end_date"),
        Arguments.of("till_time=abc", "till_time"),
        Arguments.of("to_time=2026-11-01T25:00:00Z", "to_time"),
        Arguments.of("from_time=2000&to_time=1000", "from_time"),
        Arguments.of("start_date=2026-11-02&end_date=2026-11-01", "start_date"),
        Arguments.of("from_time=1000&start_date=2026-11-01", "start_date"),
        Arguments.of("to_time=1000&till_time=2000", "till_time"),
        Arguments.of("order=id", "order"),
        Arguments.of("order=", "order"),
        Arguments.of("limit=0", "limit"),
        Arguments.of("limit=501", "limit"),
        Arguments.of("limit=ten", "limit"),
        Arguments.of("limit=5&limit=6", "limit"),
        Arguments.of("offset=-1", "offset"),
        Arguments.of("offset=1.5", "offset"),
        Arguments.of("offset=99999999999", "offset"),
        Arguments.of("cursor=", "cursor"),
        Arguments.of("cursor=not-a-cursor", "cursor"),
        Arguments.of("cursor=%25%25", "cursor"));
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void aBadParameterIsA400NamingIt(String query, String parameter) throws Exception {
    assertNamed(api.getAsReader(api.sharedWebhookPath() + "/attempts?" + query),
        parameter);
  }

  @Test
  void aCursorTogetherWithAnOffsetIsA400NamingTheCursor() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(attempt(portal, webhook, "a", AttemptStatus.SENT, T - 2_000));
    write(attempt(portal, webhook, "b", AttemptStatus.SENT, T - 1_000));
    String path = attemptsPath(portal, webhook);
    awaitTotal(path, 2);
    String cursor = api.readJson(path + "?limit=1").get("next_cursor").asText();

    assertNamed(api.getAsReader(path + "?limit=1&offset=1&cursor=" + cursor), "cursor");
  }

  @Test
  void anotherPortalsWebhookOrAnUnknownIdIsA404AndTheScopesAreChecked() throws Exception {
    api.assertOnlyItsPortalsReadersSee("attempts");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static void write(Attempt a) throws Exception {
    api.write("attempts", a.getWebhookId(), a);
  }

  /** Writes ERROR attempts e1 (newest) to e{count}, one a second apart before T. */
  private static void writeErrors(String portal, String webhook, int count) throws Exception {
    for (int i = 1; i <= count; i++) {
      write(attempt(portal, webhook, "e" + i, AttemptStatus.ERROR, T - i * 1_000L));
    }
  }

  private static String attemptsPath(String portal, String webhook) {
    return "/api/v2/" + portal + "/webhooks/" + webhook + "/attempts";
  }

  /** Waits until the list counts {@code total} attempts: the log is eventually consistent with the topic. */
  private static JsonNode awaitTotal(String path, int total) {
    return api.awaitJson(path, "a total of " + total, p -> p.get("pagination").get("total").intValue() == total);
  }

  private static List<String> ids(JsonNode page) {
    return values(page, "execution_id");
  }

  private static List<String> attempts(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("data").forEach(item -> ids.add(item.get("execution_id").asText() + "#" + item.get("attempt").asInt()));
    return ids;
  }

}
