package io.hookline.queryapi.auth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.hookline.queryapi.TestTokens;
import io.hookline.runtime.SecretCipher;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where token keys come from: the JWKS of an OAuth server (a real HTTP server serving an RSA key
 * generated here), and the start-up refusals that keep the API from ever running open or writing
 * secrets in clear.
 */
@IntegrationTest
class TokenKeysTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String ISSUER = "https://auth.example.com";
  private static final String AUDIENCE = "hookline-api";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void tokensSignedWithAKeyFromTheJwksUrlAreAcceptedAndOthersRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    AtomicInteger fetches = new AtomicInteger();
    HttpServer oauth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    oauth.createContext("/.well-known/jwks.json", exchange -> {
      fetches.incrementAndGet();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwks.length);
      exchange.getResponseBody().write(jwks);
      exchange.close();
    });
    oauth.start();
    Map<String, Object> props = baseProperties();
    props.remove("hookline.jwt-secret");
    props.put("hookline.jwt-jwks-url", "http://127.0.0.1:" + oauth.getAddress().getPort() + "/.well-known/jwks.json");
    props.put("hookline.jwt-issuer", ISSUER);
    props.put("hookline.jwt-audience", AUDIENCE);
    try (ApplicationContext context = ApplicationContext.run(props)) {
      EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
      String url = "http://127.0.0.1:" + server.getPort() + "/api/v2/zylker/webhooks";

      assertThat(status(url, rs256(key, "zylker"))).as("signed by the OAuth server's key").isEqualTo(200);
      assertThat(fetches.get()).isPositive();
      assertThat(status(url, rs256(impostor, "zylker"))).as("same kid, another key").isEqualTo(401);
      assertThat(status(url, TestTokens.forPortal("zylker"))).as("HS256, but no secret is configured").isEqualTo(401);
      assertThat(status(url, rs256(key, "other"))).as("right key, other portal").isEqualTo(403);

      HttpResponse<String> otherIssuer = get(url, rs256(key, "zylker", "https://evil.example.com", AUDIENCE));
      assertThat(otherIssuer.statusCode()).as("another issuer").isEqualTo(401);
      assertThat(otherIssuer.body()).contains("\"code\":\"UNAUTHORIZED\"")
          .contains("issuer 'https://evil.example.com' is not '" + ISSUER + "'");
      assertThat(otherIssuer.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_token");
      assertThat(get(url, rs256(key, "zylker", null, AUDIENCE)).body()).as("no issuer").contains("has no issuer");
      assertThat(get(url, rs256(key, "zylker", ISSUER, "another-api")).body()).as("another audience")
          .contains("audience [another-api] does not include '" + AUDIENCE + "'");
      assertThat(get(url, rs256(key, "zylker", ISSUER, null)).body()).as("no audience").contains("has no audience");
      HttpResponse<String> impostorOtherIssuer = get(url, rs256(impostor, "zylker", "https://evil.example.com", null));
      assertThat(impostorOtherIssuer.statusCode()).isEqualTo(401);
      assertThat(impostorOtherIssuer.body()).as("claims of a badly signed token are not judged")
          .contains("not signed by a trusted key").doesNotContain("issuer");
    } finally {
      oauth.stop(0);
    }
  }

  @Test
  void withNeitherASecretNorAJwksUrlTheApiRefusesToStart() {
    Map<String, Object> props = baseProperties();
    props.remove("hookline.jwt-secret");
    assertThat(startupFailure(props)).contains("HOOKLINE_JWT_SECRET").contains("HOOKLINE_JWT_JWKS_URL");
  }

  @Test
  void aSecretShorterThan32BytesIsRefused() {
    Map<String, Object> props = baseProperties();
    props.put("hookline.jwt-secret", "x".repeat(31));
    assertThat(startupFailure(props)).contains("HOOKLINE_JWT_SECRET is 31 bytes long").contains("at least 32");
  }

  @Test
  void withoutASecretsKeyTheApiRefusesToStart() {
    Map<String, Object> props = baseProperties();
    props.remove("hookline.secrets-key");
    assertThat(startupFailure(props)).contains("HOOKLINE_SECRETS_KEY is not set");
    props.put("hookline.secrets-key", SecretCipher.generateBase64Key().substring(0, 20));
    assertThat(startupFailure(props)).contains("HOOKLINE_SECRETS_KEY");
  }

  private static Map<String, Object> baseProperties() {
    Map<String, Object> props = new HashMap<>(TestTokens.securityProperties());
    props.put("micronaut.server.port", -1);
    props.put("hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers());
    props.put("hookline.topic-prefix", KafkaBroker.uniquePrefix());
    props.put("hookline.topic-partitions", 1);
    return props;
  }

  /** Every message in the cause chain of the start-up failure. */
  private static String startupFailure(Map<String, Object> props) {
    Throwable failure = catchThrowable(() -> {
      try (ApplicationContext context = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext()) {
        context.getBean(EmbeddedServer.class);
      }
    });
    assertThat(failure).as("the API must not start").isNotNull();
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static int status(String url, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        BodyHandlers.ofString()).statusCode();
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        BodyHandlers.ofString());
  }

  private static String rs256(RSAKey key, String portal) throws Exception {
    return rs256(key, portal, ISSUER, AUDIENCE);
  }

  private static String rs256(RSAKey key, String portal, String issuer, String audience) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder(TestTokens.claims(portal, "webhooks.READ", Instant.now().plusSeconds(600)))
        .issuer(issuer).audience(audience).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
