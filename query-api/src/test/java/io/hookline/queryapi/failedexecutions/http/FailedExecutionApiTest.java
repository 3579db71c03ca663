package io.hookline.queryapi.failedexecutions.http;

import static io.hookline.queryapi.ApiUnderTest.assertNamed;
import static io.hookline.queryapi.ApiUnderTest.error;
import static io.hookline.queryapi.ApiUnderTest.fieldNames;
import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.ApiUnderTest.values;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static io.hookline.queryapi.FailedExecutionSamples.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.FailedExecutionSamples;
import io.hookline.testing.IntegrationTest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET .../webhooks/{id}/executions} as a client sees it: the real application on a random
 * port, a real broker, failed executions written to the dead-letter topic as the dispatcher writes
 * them, read back through Kafka Streams in the exact Zoho SalesIQ shape.
 */
@IntegrationTest
class FailedExecutionApiTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final ObjectMapper JSON = ApiUnderTest.JSON;

  @Test
  void answersInTheExactZohoShapeNewestFirst() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(withEntity(failed(portal, webhook, "77abe437-5b35-4bf8-be05-52c3cd45bd26", FailedExecutionSamples.EVENT,
        "19367000000130035", 1566841925391L)));
    write(failed(portal, webhook, "0db0d4d5-f4ae-4cb2-9ee4-990c171cddab", FailedExecutionSamples.EVENT,
        "19367000000130079", 1566842025533L));
    write(failed(portal, webhook, "9cc32d72-9a7f-483b-a6f6-d5c4ae2a9ab8", FailedExecutionSamples.EVENT,
        "19367000000130035", 1566841930949L));
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
    String query = "?pageno=1&limit=10&events=conversation.created,conversation.operator.replied";

    JsonNode page = awaitPage(path + query, 3);
    long after = System.currentTimeMillis();

    assertThat(fieldNames(page)).as("the Zoho fields, then the cursors and links")
        .containsExactly("url", "object", "data", "sync_time", "next_cursor", "previous_cursor", "next", "previous");
    assertThat(page.get("next").isNull()).isTrue();
    assertThat(page.get("previous").isNull()).isTrue();
    assertThat(page.get("url").asText()).isEqualTo(path + query);
    assertThat(page.get("object").asText()).isEqualTo("list");
    assertThat(page.get("sync_time").isTextual()).isTrue();
    assertThat(Long.parseLong(page.get("sync_time").asText())).isBetween(after - 60_000, after);
    assertThat(ids(page)).containsExactly("0db0d4d5-f4ae-4cb2-9ee4-990c171cddab",
        "9cc32d72-9a7f-483b-a6f6-d5c4ae2a9ab8", "77abe437-5b35-4bf8-be05-52c3cd45bd26");

    JsonNode first = page.get("data").get(0);
    assertThat(fieldNames(first)).containsExactly("event", "remote_server_status", "id", "number_of_retries",
        "entity_id", "entity", "entity_label", "app_id", "webhook_id", "payload", "last_execution_time", "error");
    assertThat(first.get("event").asText()).isEqualTo("conversation.operator.replied");
    assertThat(first.get("remote_server_status").isInt()).isTrue();
    assertThat(first.get("remote_server_status").intValue()).isEqualTo(400);
    assertThat(first.get("number_of_retries").isInt()).isTrue();
    assertThat(first.get("number_of_retries").intValue()).isEqualTo(3);
    assertThat(first.get("entity_id").asText()).isEqualTo("19367000000130079");
    assertThat(first.get("entity").asText()).isEqualTo("conversation");
    assertThat(first.get("entity_label")).isEqualTo(JSON.readTree("{\"id\":\"19367000000130079\"}"));
    assertThat(first.get("app_id").asText()).isEqualTo("19367000000002043");
    assertThat(first.get("webhook_id").asText()).isEqualTo(webhook);
    assertThat(first.get("payload").isObject()).isTrue();
    assertThat(first.get("payload").get("version").intValue()).isEqualTo(1);
    assertThat(first.get("payload").get("message").get("sender").get("name").asText()).isEqualTo("Tricia");
    assertThat(first.get("last_execution_time").isTextual()).isTrue();
    assertThat(first.get("last_execution_time").asText()).isEqualTo("1566842025533");
    assertThat(first.get("error")).isEqualTo(JSON.readTree("{\"code\":\"HTTP_ERROR\",\"message\":\"HTTP 400\"}"));

    JsonNode third = page.get("data").get(2);
    assertThat(third.get("entity_id").asText()).isEqualTo("19367000000130035");
    assertThat(third.get("payload").get("message").get("list").get(1).get("meta").get("suggestions"))
        .isEqualTo(JSON.readTree("[\"online\",\"offline\"]"));
    assertThat(third.get("last_execution_time").asText()).isEqualTo("1566841925391");
  }

  @Test
  void pagesFiltersAndAPagePastTheDataIsEmpty() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    long t = 1_700_000_000_000L;
    for (int i = 1; i <= 12; i++) {
      write(failed(portal, webhook, "e" + String.format("%02d", i), i <= 10 ? "conversation.created" : "chat.ended",
          "1", t - i * 1_000L));
    }
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
    awaitPage(path, 12);

    assertThat(ids(api.readJson(path + "?limit=5"))).containsExactly("e01", "e02", "e03", "e04", "e05");
    assertThat(ids(api.readJson(path + "?limit=5&pageno=2"))).containsExactly("e06", "e07", "e08", "e09", "e10");
    assertThat(ids(api.readJson(path + "?limit=5&pageno=3"))).containsExactly("e11", "e12");
    JsonNode past = api.readJson(path + "?limit=5&pageno=4");
    assertThat(past.get("data").isArray()).isTrue();
    assertThat(past.get("data")).isEmpty();

    assertThat(ids(api.readJson(path + "?events=chat.ended"))).containsExactly("e11", "e12");
    assertThat(ids(api.readJson(path + "?from_time=" + (t - 4_000) + "&to_time=" + (t - 2_000))))
        .containsExactly("e02", "e03", "e04");
    String iso = java.time.Instant.ofEpochMilli(t - 3_000).toString();
    assertThat(ids(api.readJson(path + "?to_time=" + iso + "&limit=5&events=conversation.created")))
        .containsExactly("e03", "e04", "e05", "e06", "e07");
  }

  @Test
  void nextLinksWalkTheFailuresOnceWhileNewOnesArriveAndPreviousLinksWalkBack() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    long t = 1_700_000_000_000L;
    for (int i = 1; i <= 12; i++) {
      write(failed(portal, webhook, "e" + String.format("%02d", i), t - i * 1_000L));
    }
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
    awaitPage(path, 12);

    JsonNode first = api.readJson(path + "?limit=5&events=" + FailedExecutionSamples.EVENT);
    assertThat(ids(first)).containsExactly("e01", "e02", "e03", "e04", "e05");
    assertThat(first.get("previous").isNull()).isTrue();
    assertThat(first.get("next").asText()).isEqualTo(path + "?limit=5&events=" + FailedExecutionSamples.EVENT
        + "&cursor=" + first.get("next_cursor").asText());

    write(failed(portal, webhook, "new", t + 1_000));
    awaitPage(path, 13);

    JsonNode second = api.readJson(first.get("next").asText());
    assertThat(ids(second)).as("not shifted by the newer failure").containsExactly("e06", "e07", "e08", "e09", "e10");
    JsonNode third = api.readJson(second.get("next").asText());
    assertThat(ids(third)).containsExactly("e11", "e12");
    assertThat(third.get("next").isNull()).isTrue();
    JsonNode back = api.readJson(third.get("previous").asText());
    assertThat(ids(back)).containsExactly("e06", "e07", "e08", "e09", "e10");
    JsonNode pageTwo = api.readJson(path + "?limit=5&pageno=2&events=" + FailedExecutionSamples.EVENT);
    assertThat(ids(pageTwo)).as("pageno still counts from the newest").containsExactly("e05", "e06", "e07", "e08",
        "e09");
    assertThat(pageTwo.get("next").asText()).doesNotContain("pageno=").contains("cursor=");
  }

  @Test
  void aForgedCursorOrACursorWithPagenoOrOtherFiltersIsA400NamingIt() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    for (int i = 1; i <= 6; i++) {
      write(failed(portal, webhook, "e" + i, 1_700_000_000_000L - i * 1_000L));
    }
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
    awaitPage(path, 6);
    String cursor = api.readJson(path + "?limit=5").get("next_cursor").asText();
    assertThat(ids(api.readJson(path + "?limit=5&cursor=" + cursor))).containsExactly("e6");

    for (String query : List.of("limit=5&pageno=1&cursor=" + cursor, "cursor=" + cursor + "&from_time=5",
        "cursor=" + cursor.substring(1), "cursor=", "cursor=%3F%3F")) {
      JsonNode body = error(api.getAsReader(path + "?" + query), 400, "INVALID_PARAMETER");
      assertThat(body.get("message").asText()).as(query).contains("'cursor'");
    }
  }

  @Test
  void aResolvedExecutionLeavesTheView() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    FailedExecution a = failed(portal, webhook, "a", 1_700_000_000_000L);
    write(a);
    write(failed(portal, webhook, "b", 1_700_000_001_000L));
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
    awaitPage(path, 2);

    write(resolved(a, 1_700_000_002_000L));

    JsonNode page = awaitPage(path, 1);
    assertThat(ids(page)).containsExactly("b");
  }

  static Stream<Arguments> badParameters() {
    return Stream.concat(FailedExecutionSamples.badFilters(), Stream.of(
        Arguments.of("from_time=2026-13-01T00:00:00Z", "from_time"),
        Arguments.of("limit=4", "limit"),
        Arguments.of("limit=51", "limit"),
        Arguments.of("limit=ten", "limit"),
        Arguments.of("limit=", "limit"),
        Arguments.of("pageno=0", "pageno"),
        Arguments.of("pageno=-1", "pageno"),
        Arguments.of("pageno=1.5", "pageno"),
        Arguments.of("pageno=99999999999", "pageno")));
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void aBadParameterIsA400NamingIt(String query, String parameter) throws Exception {
    assertNamed(api.getAsReader(api.sharedWebhookPath() + "/executions?" + query), parameter);
  }

  @Test
  void anotherPortalsWebhookOrAnUnknownIdIsA404AndAnotherPortalsTokenA403() throws Exception {
    api.assertOnlyItsPortalsReadersSee("executions");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static void write(FailedExecution f) throws Exception {
    api.write("dead-letter", f.getWebhookId(), f);
  }

  /** Waits until the page shows {@code size} items: the view is eventually consistent with the topic. */
  private static JsonNode awaitPage(String path, int size) {
    return api.awaitJson(path, "a page of " + size, p -> p.get("data").size() == size);
  }

  private static List<String> ids(JsonNode page) {
    return values(page, "id");
  }

  /** The sample's second entity has a message list with suggestions, as in the reference. */
  private static FailedExecution withEntity(FailedExecution f) {
    String payload = "{\"version\":1,\"event_time\":\"1566841804959\",\"message\":{\"sender\":{\"name\":"
        + "\"LD_54045592_b19367000000103009\",\"id\":\"19367000000103009\"},\"list\":[{\"msgid\":\"1566841804948\","
        + "\"time\":\"1566841804948\",\"meta\":{\"version\":1,\"hand_off\":true,\"typing_delay\":0},\"msg\":\"Got it\","
        + "\"mtype\":12},{\"msgid\":\"1566841804949\",\"time\":\"1566841804949\",\"meta\":{\"suggestions\":[\"online\","
        + "\"offline\"],\"version\":1},\"msg\":\"How would you like to take the classes?\",\"mtype\":12}]},"
        + "\"id\":\"19367000000130035\"}";
    f.getEvent().setPayload(payload);
    return f;
  }

}
