package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.local.LocalRun;
import io.hookline.local.ServiceProcess;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, tried as a new user would: the launcher starts a real broker and every
 * service; a webhook created over HTTP with the printed dev token receives an event published as
 * plain JSON to the printed broker address; stopping the launcher leaves no process behind.
 */
@EndToEndTest
@Lanes.Alone
class LocalRunEndToEndTest {

  private static final Pattern API = Pattern.compile("^\\s+API\\s+(http://\\S+)", Pattern.MULTILINE);
  private static final Pattern KAFKA = Pattern.compile("^\\s+Kafka\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern METRICS = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/metrics\\s+\\(([a-z-]+)\\)");
  private static final Pattern TOKEN_FILE = Pattern.compile("TOKEN=\\$\\(cat (\\S+)\\)");

  @TempDir Path dataDir;

  @Test
  void everythingComesUpInUnderAMinuteAndDeliversAnEventPublishedAsJson() throws Exception {
    Path log = dataDir.resolve("launcher.log");
    long started = System.nanoTime();
    try (WebhookReceiver receiver = WebhookReceiver.start();
        ServiceProcess launcher = ServiceProcess.start(LocalRun.class.getName(),
            List.of("--kafka-port", "0", "--http-port", "0", "--data-dir", dataDir.resolve("local").toString()),
            Map.of("HOOKLINE_RETRY_DELAYS", "1s"), log)) {
      Awaitility.await("launcher ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            if (!launcher.isAlive()) {
              throw new AssertionError("launcher exited: " + String.join("\n", launcher.logTail(60)));
            }
            return Files.readString(log).contains(LocalRun.READY_LINE);
          });
      Duration startup = Duration.ofNanos(System.nanoTime() - started);
      System.out.println("local run ready in " + startup.toMillis() + " ms");
      assertThat(startup).isLessThan(Duration.ofSeconds(60));

      String banner = Files.readString(log);
      String api = find(API, banner);
      String kafka = find(KAFKA, banner);
      String token = Files.readString(resolve(find(TOKEN_FILE, banner))).trim();

      HttpClient http = HttpClient.newHttpClient();
      // Every service's metrics and probes, as the banner lists them: all ready before it is printed.
      Matcher metrics = METRICS.matcher(banner);
      List<String> monitored = new java.util.ArrayList<>();
      while (metrics.find()) {
        monitored.add(metrics.group(2));
        for (String path : List.of("/metrics", "/health/readiness", "/health/liveness")) {
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(metrics.group(1) + path)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(metrics.group(2) + " " + path + ": " + answer.body()).isEqualTo(200);
        }
      }
      assertThat(monitored).containsExactly("dispatcher", "retry-scheduler", "query-api");
      String body = "{\"url\":\"" + receiver.url("/mine") + "\",\"events\":[\"conversation.operator.replied\"]}";
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v2/zylker/webhooks"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      // What `kcat -P -b <broker> -t hookline.events -k zylker` does: a plain JSON record.
      try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
          new StringSerializer(), new ByteArraySerializer())) {
        String event = "{\"portal\":\"zylker\",\"event\":\"conversation.operator.replied\",\"payload\":{\"text\":\"hi\"}}";
        String topic = new io.hookline.schemas.HooklineTopics(io.hookline.schemas.TopicSettings.defaults(),
            io.hookline.schemas.RetrySchedule.parse("1s")).events().name();
        producer.send(new ProducerRecord<>(topic, "zylker", event.getBytes(StandardCharsets.UTF_8))).get();
      }
      WebhookReceiver.Request delivered = receiver.awaitRequests("/mine", 1, Duration.ofSeconds(30)).get(0);
      assertThat(EndToEnd.read(delivered.bodyText()).at("/payload/text").asText()).isEqualTo("hi");

      List<ProcessHandle> children = ProcessHandle.of(launcher.pid()).orElseThrow().descendants().toList();
      assertThat(children).hasSizeGreaterThanOrEqualTo(4);
      assertThat(launcher.stop(Duration.ofSeconds(60))).isTrue();
      Awaitility.await("no process left").atMost(Duration.ofSeconds(30))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  private Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : Path.of(System.getProperty("user.dir")).resolve(p);
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new AssertionError(p + " not found in:\n" + text);
    }
    return m.group(1);
  }
}
