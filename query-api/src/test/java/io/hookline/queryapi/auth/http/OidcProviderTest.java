package io.hookline.queryapi.auth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.hookline.queryapi.TestTokens;
import io.hookline.testing.Folders;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bearer tokens from a real OpenID provider: the npm package oidc-provider (pinned in
 * tools/package.json, run by tools/oidc-test-provider.mjs on loopback), issuing client-credentials
 * access tokens as RS256 JWTs with the scope granted and the client's portal claim. The API checks
 * them against the provider's JWKS URL, issuer and audience; then the provider's signing key is
 * rotated (restarted with a new key, the old one removed) while the API runs: a token signed with the
 * new key is accepted after the API refetches the key set for the unknown key id, and one signed by
 * the removed key no longer is. Needs node and `npm ci --prefix tools`: skipped without them, a
 * failure under CI=true.
 */
@IntegrationTest
class OidcProviderTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Path ROOT = repositoryRoot();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String ZYLKER_SECRET = "zylker-app-secret-0123456789";
  private static final String OTHER_SECRET = "other-app-secret-0123456789";

  @Test
  void tokensOfARealOpenIdProviderAreCheckedAcrossItsKeyRotation() throws Exception {
    Optional<String> missing = missingTool();
    if (missing.isPresent() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(missing.get() + "; .ci/run installs the provider with `npm ci --prefix tools`");
    }
    assumeTrue(missing.isEmpty(), () -> missing.get() + " (npm ci --prefix tools): skipped");

    Path dir = Files.createTempDirectory("hookline-oidc-");
    RSAKey first = new RSAKeyGenerator(2048).keyID("first").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
        .generate();
    RSAKey second = new RSAKeyGenerator(2048).keyID("second").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
        .generate();
    Path keys = dir.resolve("keys.json");
    Path clients = dir.resolve("clients.json");
    Files.writeString(keys, new JWKSet(first).toString(false));
    Files.writeString(clients, "["
        + "{\"client_id\":\"zylker-app\",\"client_secret\":\"" + ZYLKER_SECRET + "\","
        + "\"scope\":\"webhooks.READ webhooks.CREATE\",\"portal\":\"zylker\"},"
        + "{\"client_id\":\"other-app\",\"client_secret\":\"" + OTHER_SECRET + "\","
        + "\"scope\":\"webhooks.READ\",\"portal\":\"other\"}]");
    int port = freePort();
    Provider provider = Provider.start(port, keys, clients, dir.resolve("provider-0.log"));
    try {
      Map<String, Object> props = new HashMap<>(TestTokens.securityProperties());
      props.remove("hookline.jwt-secret");
      props.put("micronaut.server.port", -1);
      props.put("hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers());
      props.put("hookline.topic-prefix", KafkaBroker.uniquePrefix());
      props.put("hookline.topic-partitions", 1);
      props.put("hookline.jwt-jwks-url", provider.issuer + "/jwks");
      props.put("hookline.jwt-issuer", provider.issuer);
      props.put("hookline.jwt-audience", "hookline-api");
      try (ApplicationContext context = ApplicationContext.run(props)) {
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        String api = "http://127.0.0.1:" + server.getPort() + "/api/v2/";

        String zylker = provider.token("zylker-app", ZYLKER_SECRET, "webhooks.READ");
        assertThat(SignedJWT.parse(zylker).getHeader().getKeyID()).isEqualTo("first");
        assertThat(status(api + "zylker/webhooks", zylker)).as("the provider's token for its portal").isEqualTo(200);
        assertThat(status(api + "other/webhooks", zylker)).as("another portal").isEqualTo(403);
        assertThat(status(api + "zylker/webhooks", provider.token("zylker-app", ZYLKER_SECRET, "webhooks.CREATE")))
            .as("without the scope webhooks.READ").isEqualTo(403);
        assertThat(status(api + "zylker/webhooks", provider.token("other-app", OTHER_SECRET, "webhooks.READ")))
            .as("another client's portal").isEqualTo(403);

        // Key rotation: the provider comes back signing with a new key; the old one is withdrawn.
        provider.close();
        Files.writeString(keys, new JWKSet(second).toString(false));
        provider = Provider.start(port, keys, clients, dir.resolve("provider-1.log"));
        String rotated = provider.token("zylker-app", ZYLKER_SECRET, "webhooks.READ");
        assertThat(SignedJWT.parse(rotated).getHeader().getKeyID()).isEqualTo("second");
        assertThat(status(api + "zylker/webhooks", rotated)).as("signed by the new key, same API process")
            .isEqualTo(200);
        assertThat(status(api + "zylker/webhooks", zylker)).as("signed by the withdrawn key, not expired")
            .isEqualTo(401);
      }
    } finally {
      provider.close();
      Folders.deleteRecursively(dir);
    }
  }

  private static int status(String url, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        BodyHandlers.discarding()).statusCode();
  }

  /** What is missing to run the provider, if anything. */
  private static Optional<String> missingTool() {
    if (node().isEmpty()) {
      return Optional.of("node is not installed");
    }
    if (!Files.exists(ROOT.resolve("tools/node_modules/oidc-provider/package.json"))) {
      return Optional.of("the npm package oidc-provider is not installed in tools/");
    }
    return Optional.empty();
  }

  private static Optional<Path> node() {
    return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
        .map(dir -> Path.of(dir, "node"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("tools/package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root (with tools/package.json) not found above "
          + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** tools/oidc-test-provider.mjs running in a node process, stopped by {@link #close}. */
  private static final class Provider implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    final String issuer;
    private final Process process;
    /** Writes the provider's output to its log once the process ended. */
    private final Thread reader;

    private Provider(String issuer, Process process, Thread reader) {
      this.issuer = issuer;
      this.process = process;
      this.reader = reader;
    }

    static Provider start(int port, Path keys, Path clients, Path log) throws Exception {
      Process process = new ProcessBuilder(node().orElseThrow().toString(),
          ROOT.resolve("tools/oidc-test-provider.mjs").toString(), Integer.toString(port), keys.toString(),
          clients.toString())
          .redirectErrorStream(true)
          .start();
      // The script prints "ready <issuer>" once it listens; its other output goes to the log.
      CompletableFuture<String> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.startsWith("ready ")) {
              ready.complete(line.substring("ready ".length()).trim());
            }
          }
        } catch (IOException e) {
          // the process ended
        } finally {
          ready.completeExceptionally(new IllegalStateException("oidc-test-provider ended:\n" + String.join("\n", lines)));
          try {
            Files.write(log, lines);
          } catch (IOException e) {
            // the log is only for reading after a failure
          }
        }
      }, "oidc-provider-output");
      reader.setDaemon(true);
      reader.start();
      try {
        return new Provider(ready.get(60, TimeUnit.SECONDS), process, reader);
      } catch (Exception e) {
        process.destroyForcibly();
        throw e;
      }
    }

    /** A client-credentials access token from the provider's token endpoint. */
    String token(String clientId, String secret, String scope) throws Exception {
      String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
          + "&scope=" + enc(scope);
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), BodyHandlers.ofString());
      Matcher m = TOKEN.matcher(answer.body());
      assertThat(m.find()).as("token endpoint answered %s: %s", answer.statusCode(), answer.body()).isTrue();
      return m.group(1);
    }

    private static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Stops the process and waits until its log is written, so the folder can be deleted after. */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
