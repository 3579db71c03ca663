package io.hookline.queryapi.auth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import io.hookline.queryapi.TestTokens;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every webhook route refuses what it must: no token, a malformed, wrongly signed, expired or
 * unsigned token (401 with a Bearer challenge), a valid token without the route's scope or for
 * another portal (403), always as a JSON error and without touching the webhook.
 */
@IntegrationTest
class AuthTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String PORTAL = "owner" + UUID.randomUUID().toString().substring(0, 8);

  private static EmbeddedServer server;
  private static String webhookId;

  /** A route: method, path below /api/v2/{portal}/webhooks, body, scope it needs, status when allowed. */
  record Route(String method, String path, String body, String scope, int allowed) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Route> routes() {
    return List.of(
        new Route("GET", "", null, "webhooks.READ", 200),
        new Route("POST", "", "{\"url\":\"https://example.com/new\",\"events\":[\"a\"]}", "webhooks.CREATE", 201),
        new Route("GET", "/{id}", null, "webhooks.READ", 200),
        new Route("PATCH", "/{id}", "{\"enabled\":true}", "webhooks.UPDATE", 200),
        new Route("GET", "/{id}/secret", null, "webhooks.UPDATE", 200),
        new Route("POST", "/{id}/secret/rotate", null, "webhooks.UPDATE", 200),
        new Route("DELETE", "/{id}", null, "webhooks.DELETE", 204));
  }

  enum Caller { NO_TOKEN, MALFORMED, BAD_SIGNATURE, EXPIRED, UNSIGNED, NOT_BEARER, WRONG_SCOPE, OTHER_PORTAL }

  static Stream<Arguments> refusals() {
    return routes().stream().flatMap(r -> Arrays.stream(Caller.values()).map(c -> Arguments.of(r, c)));
  }

  @BeforeAll
  static void startApi() throws Exception {
    Map<String, Object> props = new HashMap<>(TestTokens.securityProperties());
    props.put("micronaut.server.port", -1);
    props.put("hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers());
    props.put("hookline.topic-prefix", KafkaBroker.uniquePrefix());
    props.put("hookline.topic-partitions", 2);
    server = ApplicationContext.run(EmbeddedServer.class, props);
    HttpResponse<String> created = send("POST", "", "{\"url\":\"https://example.com/kept\",\"events\":[\"a\"]}",
        TestTokens.forPortal(PORTAL));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    webhookId = JSON.readTree(created.body()).get("id").asText();
  }

  @AfterAll
  static void stopApi() {
    if (server != null) {
      server.getApplicationContext().close();
    }
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("refusals")
  void everyRouteRefusesCallersWithoutTheRightToken(Route route, Caller caller) throws Exception {
    String token = switch (caller) {
      case NO_TOKEN, NOT_BEARER -> null;
      case MALFORMED -> "not.a.jwt";
      case BAD_SIGNATURE -> TestTokens.signedWithAnotherSecret(PORTAL);
      case EXPIRED -> TestTokens.expired(PORTAL);
      case UNSIGNED -> new PlainJWT(new PlainHeader(),
          TestTokens.claims(PORTAL, TestTokens.ALL_SCOPES, Instant.now().plusSeconds(600))).serialize();
      case WRONG_SCOPE -> TestTokens.withScope(PORTAL, everyScopeBut(route.scope()));
      case OTHER_PORTAL -> TestTokens.forPortal("intruder");
    };
    HttpRequest.Builder request = request(route.method(), route.path(), route.body());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    } else if (caller == Caller.NOT_BEARER) {
      request.header("Authorization", "Basic dXNlcjpwYXNzd29yZA==");
    }
    HttpResponse<String> r = HTTP.send(request.build(), BodyHandlers.ofString());

    boolean authenticated = caller == Caller.WRONG_SCOPE || caller == Caller.OTHER_PORTAL;
    int status = authenticated ? 403 : 401;
    assertThat(r.statusCode()).as("%s %s as %s: %s", route.method(), route.path(), caller, r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode error = JSON.readTree(r.body());
    assertThat(error.get("code").asText()).isEqualTo(authenticated ? "FORBIDDEN" : "UNAUTHORIZED");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.size()).isEqualTo(2);
    switch (caller) {
      case NO_TOKEN -> assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"hookline\"");
      case WRONG_SCOPE -> {
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
            .startsWith("Bearer").contains("error=\"insufficient_scope\"").contains("scope=\"" + route.scope() + "\""));
        assertThat(error.get("message").asText()).contains(route.scope());
      }
      case OTHER_PORTAL -> assertThat(error.get("message").asText()).contains(PORTAL);
      default -> assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
          .startsWith("Bearer realm=\"hookline\"").contains("error=\"invalid_token\""));
    }
    assertWebhookUntouched();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void theRoutesScopeAloneIsEnough(Route route) throws Exception {
    String id = route.method().equals("DELETE") || route.path().contains("rotate") || route.method().equals("PATCH")
        ? created()
        : webhookId;
    String body = route.body() == null ? null : route.body().replace("/new", "/allowed");
    HttpResponse<String> r = HTTP.send(request(route.method(), route.path().replace("{id}", id), body)
        .header("Authorization", "Bearer " + TestTokens.withScope(PORTAL, route.scope()))
        .build(), BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s with only %s: %s", route, route.scope(), r.body()).isEqualTo(route.allowed());
  }

  @Test
  void aTokenForOnePortalCannotReachAnotherPortalsPathEvenWithEveryScope() throws Exception {
    HttpResponse<String> r = send("GET", "", null, TestTokens.forPortal(PORTAL + "x"));
    assertThat(r.statusCode()).isEqualTo(403);
    HttpResponse<String> noPortal = send("GET", "", null, TestTokens.hs256(TestTokens.JWT_SECRET,
        new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("c").claim("scope", TestTokens.ALL_SCOPES)
            .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600))).build()));
    assertThat(noPortal.statusCode()).as("a token without a portal claim").isEqualTo(403);
  }

  @Test
  void scopesMayAlsoComeAsAListAndMustMatchExactly() throws Exception {
    var asList = new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("c").claim("portal", PORTAL)
        .claim("scope", List.of("webhooks.READ")).expirationTime(java.util.Date.from(Instant.now().plusSeconds(600)))
        .build();
    assertThat(send("GET", "", null, TestTokens.hs256(TestTokens.JWT_SECRET, asList)).statusCode()).isEqualTo(200);
    assertThat(send("GET", "", null, TestTokens.withScope(PORTAL, "webhooks.read webhooks.READX")).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aTokenWithoutSubjectOrExpiryIsRefused() throws Exception {
    var noSubject = new com.nimbusds.jwt.JWTClaimsSet.Builder().claim("portal", PORTAL)
        .claim("scope", TestTokens.ALL_SCOPES).expirationTime(java.util.Date.from(Instant.now().plusSeconds(600)))
        .build();
    assertThat(send("GET", "", null, TestTokens.hs256(TestTokens.JWT_SECRET, noSubject)).statusCode()).isEqualTo(401);
    var noExpiry = new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("c").claim("portal", PORTAL)
        .claim("scope", TestTokens.ALL_SCOPES).build();
    assertThat(send("GET", "", null, TestTokens.hs256(TestTokens.JWT_SECRET, noExpiry)).statusCode()).isEqualTo(401);
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health")).build(),
        BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void aTokenWithAnAlgorithmNobodyConfiguredIsRefused() throws Exception {
    // HS384 over the configured secret: a valid MAC, but not the configured HS256.
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(new JWSHeader(JWSAlgorithm.HS384).toString().getBytes())
        + "." + b64.encodeToString(TestTokens.claims(PORTAL, TestTokens.ALL_SCOPES, Instant.now().plusSeconds(600))
            .toString().getBytes());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA384");
    mac.init(new javax.crypto.spec.SecretKeySpec(TestTokens.JWT_SECRET.getBytes(), "HmacSHA384"));
    String token = input + "." + b64.encodeToString(mac.doFinal(input.getBytes()));
    assertThat(send("GET", "", null, token).statusCode()).isEqualTo(401);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static String everyScopeBut(String scope) {
    return Arrays.stream(TestTokens.ALL_SCOPES.split(" ")).filter(s -> !s.equals(scope)).collect(Collectors.joining(" "));
  }

  private static String created() throws Exception {
    HttpResponse<String> r = send("POST", "", "{\"url\":\"https://example.com/x\",\"events\":[\"a\"]}",
        TestTokens.forPortal(PORTAL));
    assertThat(r.statusCode()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  private static void assertWebhookUntouched() throws Exception {
    HttpResponse<String> r = send("GET", "/" + webhookId, null, TestTokens.forPortal(PORTAL));
    assertThat(r.statusCode()).as("the webhook still exists: %s", r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("url").asText()).isEqualTo("https://example.com/kept");
    HttpResponse<String> list = send("GET", "", null, TestTokens.forPortal(PORTAL));
    List<String> urls = new ArrayList<>();
    JSON.readTree(list.body()).get("data").forEach(w -> urls.add(w.get("url").asText()));
    assertThat(urls).as("nothing created by a refused request").doesNotContain("https://example.com/new");
  }

  private static String base() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private static HttpRequest.Builder request(String method, String path, String body) {
    String full = base() + "/api/v2/" + PORTAL + "/webhooks" + path.replace("{id}", webhookId == null ? "0" : webhookId);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(full)).timeout(Duration.ofSeconds(20));
    if (body == null) {
      b.method(method, BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body));
    }
    return b;
  }

  private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    return HTTP.send(request(method, path, body).header("Authorization", "Bearer " + token).build(),
        BodyHandlers.ofString());
  }
}
