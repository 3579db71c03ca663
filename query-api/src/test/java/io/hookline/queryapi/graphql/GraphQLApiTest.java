package io.hookline.queryapi.graphql;

import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /graphql} with the {@code undeliveredNotifications} query as a client sends it: the
 * real application on a random port, a real broker, failures written to the dead-letter topic as the
 * dispatcher writes them and read back through the Kafka Streams view.
 */
@IntegrationTest
class GraphQLApiTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final ObjectMapper JSON = ApiUnderTest.JSON;
  private static final String FIELDS = "{ totalCount cursor elements { notification { eventType creationDateTime"
      + " notificationId payload webhookId } error { code message reason } } }";
  private static final String QUERY = "query($limit: Int, $cursor: String, $filters: UndeliveredNotificationsFiltersInput!,"
      + " $portal: String) { undeliveredNotifications(limit: $limit, cursor: $cursor, filters: $filters, portal: $portal) "
      + FIELDS + " }";

  @Test
  void listsTheFailuresOfEveryWebhookOfThePortalNewestCreationFirstInTheReferenceShape() throws Exception {
    String portal = newPortal();
    String a = api.createWebhook(portal);
    String b = api.createWebhook(portal);
    String elsewhere = api.createWebhook(newPortal());
    long t = 1_700_000_000_000L;
    write(failed(portal, a, "a1", "conversation.created", "1", t));
    write(failed(portal, b, "b1", "conversation.created", "2", t + 1_000));
    FailedExecution secret = failed(portal, a, "a2", "chat.ended", "3", t + 2_000);
    secret.setErrorCode("SECRET_EXPIRED");
    secret.setErrorMessage("The webhook has no secret that may still sign");
    secret.setLastHttpStatus(null);
    write(secret);
    write(failed(portal, elsewhere, "x1", "conversation.created", "4", t + 3_000));

    JsonNode result = awaitTotal(portal, Map.of(), 3);

    assertThat(result.get("cursor").isNull()).as("one page holds all").isTrue();
    assertThat(ids(result)).containsExactly("a2", "b1", "a1");
    JsonNode first = result.get("elements").get(0);
    assertThat(first.get("notification").get("eventType").asText()).isEqualTo("chat.ended");
    assertThat(first.get("notification").get("creationDateTime").asText())
        .isEqualTo(Instant.ofEpochMilli(t + 2_000 - 120_000).toString());
    assertThat(first.get("notification").get("webhookId").asText()).isEqualTo(a);
    assertThat(first.get("notification").get("payload").isObject()).as("payload is JSON, not a string").isTrue();
    assertThat(first.get("notification").get("payload").get("id").asText()).isEqualTo("3");
    assertThat(first.get("error").get("code").asText()).isEqualTo("SECRET_EXPIRED");
    assertThat(first.get("error").get("reason").asText()).isEqualTo("SECRET_EXPIRED");
    assertThat(first.get("error").get("message").asText()).isEqualTo("The webhook has no secret that may still sign");
    JsonNode httpError = result.get("elements").get(1).get("error");
    assertThat(httpError.get("code").asText()).isEqualTo("DELIVERY_ERROR");
    assertThat(httpError.get("reason").asText()).isEqualTo("HTTP_ERROR");
    assertThat(httpError.get("message").asText()).isEqualTo("HTTP 400");
  }

  @Test
  void filtersByEventTypeAndCreationRangeInclusiveOrExclusive() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    long t = 1_700_000_000_000L;
    for (int i = 1; i <= 6; i++) {
      // created at t + i s (the samples' event time is two minutes before the last execution)
      write(failed(portal, webhook, "e" + i, i % 2 == 0 ? "chat.ended" : "conversation.created", "1",
          t + i * 1_000L + 120_000));
    }
    awaitTotal(portal, Map.of(), 6);

    assertThat(ids(query(portal, Map.of("eventType", "chat.ended")))).containsExactly("e6", "e4", "e2");
    Map<String, Object> range = Map.of("from", iso(t + 2_000), "to", iso(t + 5_000));
    assertThat(ids(query(portal, Map.of("creationDateTime", range)))).containsExactly("e5", "e4", "e3", "e2");
    Map<String, Object> inclusive = new HashMap<>(range);
    inclusive.put("operator", "INCLUSIVE");
    assertThat(ids(query(portal, Map.of("creationDateTime", inclusive)))).containsExactly("e5", "e4", "e3", "e2");
    Map<String, Object> exclusive = new HashMap<>(range);
    exclusive.put("operator", "EXCLUSIVE");
    assertThat(ids(query(portal, Map.of("creationDateTime", exclusive)))).containsExactly("e4", "e3");
    JsonNode both = query(portal, Map.of("eventType", "conversation.created", "creationDateTime", range));
    assertThat(ids(both)).containsExactly("e5", "e3");
    assertThat(both.get("totalCount").asInt()).isEqualTo(2);
    // An offset other than Z is the same instant.
    Map<String, Object> offset = Map.of("from", "2023-11-14T23:13:22+01:00", "to", iso(t + 3_000));
    assertThat(ids(query(portal, Map.of("creationDateTime", offset)))).containsExactly("e3", "e2");
  }

  @Test
  void cursorPagesStayStableWhileNewFailuresArrive() throws Exception {
    String portal = newPortal();
    String a = api.createWebhook(portal);
    String b = api.createWebhook(portal);
    long t = 1_700_000_000_000L;
    for (int i = 1; i <= 7; i++) {
      // same creation time for a pair, to exercise the tie-break across webhooks
      write(failed(portal, i % 2 == 0 ? a : b, "p" + i, "conversation.created", "1", t - (i / 2) * 1_000L));
    }
    awaitTotal(portal, Map.of(), 7);

    JsonNode page1 = query(portal, Map.of(), 3, null);
    assertThat(page1.get("totalCount").asInt()).isEqualTo(7);
    assertThat(page1.get("elements")).hasSize(3);
    String cursor1 = page1.get("cursor").asText();
    assertThat(cursor1).isNotBlank();

    // New failures (newer, and one older than everything) arrive between pages.
    write(failed(portal, a, "new1", "conversation.created", "1", t + 60_000));
    write(failed(portal, b, "new2", "conversation.created", "1", t + 61_000));
    write(failed(portal, a, "old", "conversation.created", "1", t - 3_600_000));
    awaitTotal(portal, Map.of(), 10);

    JsonNode page2 = query(portal, Map.of(), 3, cursor1);
    JsonNode page3 = query(portal, Map.of(), 3, page2.get("cursor").asText());
    assertThat(page2.get("totalCount").asInt()).isEqualTo(10);
    assertThat(page3.get("elements")).as("4 of the 7 left, and the older newcomer").hasSize(2);
    assertThat(page3.get("cursor").isNull()).as("the last page has no cursor").isTrue();
    List<String> seen = new ArrayList<>();
    for (JsonNode page : List.of(page1, page2, page3)) {
      seen.addAll(ids(page));
    }
    List<String> original = new ArrayList<>(seen);
    original.remove("old");
    assertThat(seen).doesNotHaveDuplicates().doesNotContain("new1", "new2").endsWith("old");
    assertThat(original).as("the seven in their first-page order, none skipped").hasSize(7)
        .containsExactlyInAnyOrder("p1", "p2", "p3", "p4", "p5", "p6", "p7");
    assertThat(ids(query(portal, Map.of(), 2, null))).containsExactly("new2", "new1");
    // The same cursor gives the same page again.
    assertThat(ids(query(portal, Map.of(), 3, cursor1))).isEqualTo(ids(page2));
  }

  static Stream<Arguments> badArguments() {
    Map<String, Object> noFilters = Map.of();
    return Stream.of(
        Arguments.of(Map.of("limit", 0, "filters", noFilters), "limit"),
        Arguments.of(Map.of("limit", 11, "filters", noFilters), "limit"),
        Arguments.of(Map.of("limit", -3, "filters", noFilters), "limit"),
        Arguments.of(Map.of("limit", "ten", "filters", noFilters), "limit"),
        Arguments.of(Map.of(), "filters"),
        Arguments.of(Map.of("filters", Map.of("eventType", " ")), "filters.eventType"),
        Arguments.of(Map.of("filters", Map.of("creationDateTime", Map.of("from", "yesterday", "to",
            "2024-01-01T00:00:00Z"))), "from"),
        Arguments.of(Map.of("filters", Map.of("creationDateTime", Map.of("from", "2024-01-01T00:00:00",
            "to", "2024-01-02T00:00:00Z"))), "from"),
        Arguments.of(Map.of("filters", Map.of("creationDateTime", Map.of("from", "2024-01-01T00:00:00Z"))), "to"),
        Arguments.of(Map.of("filters", Map.of("creationDateTime", Map.of("from", "2024-02-01T00:00:00Z",
            "to", "2024-01-01T00:00:00Z"))), "filters.creationDateTime"),
        Arguments.of(Map.of("filters", Map.of("creationDateTime", Map.of("from", "2024-01-01T00:00:00Z",
            "to", "2024-02-01T00:00:00Z", "operator", "BETWEEN"))), "RangeOperator"),
        Arguments.of(Map.of("filters", noFilters, "cursor", "not-a-cursor"), "cursor"),
        Arguments.of(Map.of("filters", noFilters, "cursor", "AQAAAYvQ4r8AAAECAAECAAAAAAAAAAAAAAAAAAAAAA"), "cursor"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void aBadArgumentIsAGraphQLErrorNamingIt(Map<String, Object> variables, String argument) throws Exception {
    HttpResponse<String> r = post(QUERY, variables, TestTokens.withScope(badArgumentsPortal, "webhooks.READ"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("errors")).as(r.body()).isNotEmpty();
    assertThat(body.get("errors").get(0).get("message").asText()).contains("'" + argument);
    JsonNode data = body.get("data");
    assertThat(data == null || data.isNull() || data.get("undeliveredNotifications").isNull()).as(r.body()).isTrue();
  }

  @Test
  void aBadLiteralInTheQueryTextIsNamedByItsPath() throws Exception {
    String badTime = "{ undeliveredNotifications(filters: {creationDateTime: {from: \"2024-01-01T00:00:00Z\","
        + " to: \"soon\"}}) { totalCount } }";
    assertThat(firstError(badTime)).contains("filters.creationDateTime.to").contains("'soon'");
    String badOperator = "{ undeliveredNotifications(filters: {creationDateTime: {from: \"2024-01-01T00:00:00Z\","
        + " to: \"2024-02-01T00:00:00Z\", operator: BETWEEN}}) { totalCount } }";
    assertThat(firstError(badOperator)).contains("filters.creationDateTime.operator");
    assertThat(firstError("{ undeliveredNotifications(limit: 2) { totalCount } }")).contains("'filters'");
  }

  private static String firstError(String query) throws Exception {
    HttpResponse<String> r = post(query, Map.of(), TestTokens.forPortal(badArgumentsPortal));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("errors").get(0).get("message").asText();
  }

  @Test
  void aMalformedRequestIsRefusedNotACrash() throws Exception {
    for (String body : List.of("{", "{}", "{\"query\": \"{ nope }\"}", "{\"query\": \"{ undeliveredNotifications(\"}")) {
      HttpResponse<String> r = api.post("/graphql", TestTokens.forPortal(badArgumentsPortal), body);
      assertThat(r.statusCode()).as("%s -> %s", body, r.body()).isBetween(200, 499);
      JsonNode answer = JSON.readTree(r.body());
      if (r.statusCode() == 200) {
        assertThat(answer.get("errors")).as(body).isNotEmpty();
      } else {
        assertThat(answer.get("code").asText()).isEqualTo("INVALID_JSON");
      }
    }
  }

  @Test
  void aCursorOfAnotherQueryIsRefused() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(failed(portal, webhook, "c1", 1_700_000_000_000L));
    write(failed(portal, webhook, "c2", 1_700_000_001_000L));
    awaitTotal(portal, Map.of(), 2);
    String cursor = query(portal, Map.of(), 1, null).get("cursor").asText();

    JsonNode body = JSON.readTree(post(QUERY, Map.of("limit", 1, "cursor", cursor, "filters",
        Map.of("eventType", "chat.ended")), TestTokens.forPortal(portal)).body());
    assertThat(body.get("errors").get(0).get("message").asText()).contains("'cursor'");
    assertThat(body.get("errors").get(0).get("extensions").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
    JsonNode other = JSON.readTree(post(QUERY, Map.of("limit", 1, "cursor", cursor, "filters", Map.of()),
        TestTokens.forPortal(newPortal())).body());
    assertThat(other.get("errors").get(0).get("extensions").get("argument").asText()).isEqualTo("cursor");
  }

  @Test
  void needsAReadTokenAndReadsOnlyTheTokensPortal() throws Exception {
    String portal = newPortal();
    String other = newPortal();
    String webhook = api.createWebhook(portal);
    write(failed(portal, webhook, "mine", 1_700_000_000_000L));
    write(failed(other, api.createWebhook(other), "theirs", 1_700_000_000_000L));
    awaitTotal(portal, Map.of(), 1);
    awaitTotal(other, Map.of(), 1);
    Map<String, Object> variables = Map.of("filters", Map.of());

    HttpResponse<String> anonymous = post(QUERY, variables, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(anonymous.body()).get("code").asText()).isEqualTo("UNAUTHORIZED");
    HttpResponse<String> writeOnly = post(QUERY, variables, TestTokens.withScope(portal, "webhooks.CREATE"));
    assertThat(writeOnly.statusCode()).isEqualTo(403);
    assertThat(writeOnly.headers().firstValue("WWW-Authenticate").orElse("")).contains("webhooks.READ");
    assertThat(post(QUERY, variables, TestTokens.expired(portal)).statusCode()).isEqualTo(401);

    JsonNode foreign = JSON.readTree(post(QUERY, Map.of("filters", Map.of(), "portal", other),
        TestTokens.forPortal(portal)).body());
    assertThat(foreign.get("errors").get(0).get("extensions").get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(foreign.get("errors").get(0).get("message").asText()).contains("'portal'");
    assertThat(foreign.get("data").get("undeliveredNotifications").isNull()).isTrue();

    String both = multiPortalToken(portal, other);
    JsonNode unnamed = JSON.readTree(post(QUERY, variables, both).body());
    assertThat(unnamed.get("errors").get(0).get("message").asText()).contains("'portal'");
    assertThat(ids(data(post(QUERY, Map.of("filters", Map.of(), "portal", other), both)))).containsExactly("theirs");
    assertThat(ids(data(post(QUERY, Map.of("filters", Map.of(), "portal", portal), both)))).containsExactly("mine");
    // The REST API accepts the same multi-portal token for each of its portals.
    HttpResponse<String> rest = api.get("/api/v2/" + other + "/webhooks", both);
    assertThat(rest.statusCode()).isEqualTo(200);
  }

  @Test
  void aPortalWithoutFailuresHasAnEmptyListNotAnError() throws Exception {
    String portal = newPortal();
    api.createWebhook(portal);
    JsonNode result = data(post(QUERY, Map.of("filters", Map.of()), TestTokens.forPortal(portal)));
    assertThat(result.get("totalCount").asInt()).isZero();
    assertThat(result.get("elements").isArray()).isTrue();
    assertThat(result.get("elements")).isEmpty();
    assertThat(result.get("cursor").isNull()).isTrue();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static final String badArgumentsPortal = ApiUnderTest.newPortal();

  private static String multiPortalToken(String... portals) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject("agency")
        .claim("portal", List.of(portals))
        .claim("scope", "webhooks.READ")
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
        .build();
    return TestTokens.hs256(TestTokens.JWT_SECRET, claims);
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  private static JsonNode query(String portal, Map<String, Object> filters) throws Exception {
    return query(portal, filters, 10, null);
  }

  private static JsonNode query(String portal, Map<String, Object> filters, int limit, String cursor)
      throws Exception {
    Map<String, Object> variables = new HashMap<>();
    variables.put("filters", filters);
    variables.put("limit", limit);
    if (cursor != null) {
      variables.put("cursor", cursor);
    }
    return data(post(QUERY, variables, TestTokens.withScope(portal, "webhooks.READ")));
  }

  private static JsonNode data(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("errors")).as(r.body()).isNull();
    return body.get("data").get("undeliveredNotifications");
  }

  /** Waits until the portal's listing counts {@code total}: the view follows the topic a moment later. */
  private static JsonNode awaitTotal(String portal, Map<String, Object> filters, int total) {
    return await("total " + total + " for " + portal)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          HttpResponse<String> r = post(QUERY, Map.of("filters", filters), TestTokens.forPortal(portal));
          JsonNode body = JSON.readTree(r.body());
          if (body.has("errors")) {
            assertThat(body.get("errors").get(0).get("extensions").get("code").asText()).as(r.body())
                .isEqualTo("SERVICE_UNAVAILABLE");
            return null;
          }
          return body.get("data").get("undeliveredNotifications");
        }, result -> result != null && result.get("totalCount").asInt() == total);
  }

  private static void write(FailedExecution f) throws Exception {
    api.write("dead-letter", f.getWebhookId(), f);
  }

  private static List<String> ids(JsonNode result) {
    List<String> ids = new ArrayList<>();
    result.get("elements").forEach(e -> ids.add(e.get("notification").get("notificationId").asText()));
    return ids;
  }

  private static HttpResponse<String> post(String query, Map<String, Object> variables, String token)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    body.set("variables", JSON.valueToTree(variables));
    return api.post("/graphql", token, JSON.writeValueAsString(body));
  }

}
