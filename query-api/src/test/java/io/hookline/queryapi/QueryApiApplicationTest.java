package io.hookline.queryapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The query API as an operator runs it: its own JVM through the main class, configured only by
 * HOOKLINE_* environment variables, stopped with SIGTERM.
 */
@IntegrationTest
class QueryApiApplicationTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void runsOnTheConfiguredPortWithTheConfiguredTopicsAndExitsZeroOnSigterm() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String prefix = KafkaBroker.uniquePrefix();
    Path log = Files.createTempFile("query-api", ".log");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", classpath, QueryApiApplication.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(Map.of(
        "HOOKLINE_HTTP_PORT", Integer.toString(port),
        "HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers(),
        "HOOKLINE_TOPIC_PREFIX", prefix,
        "HOOKLINE_TOPIC_PARTITIONS", "2",
        "HOOKLINE_JWT_SECRET", TestTokens.JWT_SECRET,
        "HOOKLINE_SECRETS_KEY", TestTokens.SECRETS_KEY,
        "HOOKLINE_STATE_DIR", TestTokens.freshStateDir()));
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .timeout(Duration.ofSeconds(5)).build();
      await("the API answers /health on HOOKLINE_HTTP_PORT " + port)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .failFast("the process died: " + log, () -> !process.isAlive())
          .until(() -> http.send(health, BodyHandlers.ofString()).statusCode() == 200);

      HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/zylker/webhooks"))
          .header("Authorization", "Bearer " + TestTokens.forPortal("zylker"))
          .timeout(Duration.ofSeconds(5)).build();
      assertThat(http.send(list, BodyHandlers.ofString()).statusCode()).as("a token signed with HOOKLINE_JWT_SECRET")
          .isEqualTo(200);
      HttpRequest anonymous = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/zylker/webhooks"))
          .timeout(Duration.ofSeconds(5)).build();
      assertThat(http.send(anonymous, BodyHandlers.ofString()).statusCode()).isEqualTo(401);

      try (Admin admin = KAFKA.broker().admin()) {
        var topics = admin.describeTopics(java.util.List.of(prefix + "webhooks")).allTopicNames().get(10, TimeUnit.SECONDS);
        assertThat(topics.get(prefix + "webhooks").partitions()).hasSize(2);
      }

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(process.exitValue()).as("exit code after SIGTERM; log in %s", log).isZero();
    } finally {
      process.destroyForcibly();
    }
    assertThat(Files.readString(log)).doesNotContain(" ERROR ");
    Files.deleteIfExists(log);
  }
}
