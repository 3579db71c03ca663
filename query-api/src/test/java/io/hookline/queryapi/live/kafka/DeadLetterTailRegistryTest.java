package io.hookline.queryapi.live.kafka;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.live.CollectingClient;
import io.hookline.queryapi.live.LiveFailureStreams;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.SchemaRegistryClient;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.ApicurioRegistry;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live tail while the schema registry is away, against a real Apicurio Registry: a dead letter in the
 * registry's wire format whose schema the tail cannot look up is not skipped; it and the ones after it reach
 * the live streams, in order, once the registry answers again.
 *
 * <p>The tail's registry URL is a port of the test's own: nothing listens there at first (the registry is
 * unreachable), then a forwarder to the real registry does, so the registry keeps its schema ids throughout.
 */
@IntegrationTest
class DeadLetterTailRegistryTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aDeadLetterWhoseSchemaCannotBeLookedUpIsStreamedOnceTheRegistryAnswers() throws Exception {
    ApicurioRegistry registry = ApicurioRegistry.shared();
    String prefix = KafkaBroker.uniquePrefix();
    // The writer registers the schema with a registry that may be slow to answer its first call on a busy machine.
    HooklineTopics writerTopics = topics(prefix, registry.confluentApiUrl(), WAIT);
    int gatePort;
    try (ServerSocket free = new ServerSocket(0)) {
      gatePort = free.getLocalPort();
    }
    HooklineTopics tailTopics = topics(prefix, "http://127.0.0.1:" + gatePort + "/apis/ccompat/v7",
        Duration.ofSeconds(2));
    Topic<String, FailedExecution> topic = tailTopics.deadLetter();
    KAFKA.broker().createTopics(writerTopics);
    KAFKA.broker().awaitLeaders(List.of(topic.name()), WAIT);
    Map<String, Object> props = KAFKA.broker().clientProps();
    HttpServer gate = null;
    try (LiveFailureStreams streams = new LiveFailureStreams(10, 100, Duration.ofHours(1),
            new KafkaFailureLogReader(topic, props, Duration.ofDays(3650), Clock.systemUTC()));
        DeadLetterTail tail = new DeadLetterTail(topic, props, streams, WAIT, Duration.ofSeconds(30));
        KafkaProducer<String, FailedExecution> producer = new KafkaProducer<>(props, new StringSerializer(),
            writerTopics.deadLetter().valueSerde().serializer())) {
      CollectingClient client = new CollectingClient();
      streams.open("p", null).subscribe(client);
      client.takeAll();

      producer.send(new ProducerRecord<>(topic.name(), "w", failed("p", "w", "during-outage", 1L))).get();
      producer.send(new ProducerRecord<>(topic.name(), "w", failed("p", "w", "after-it", 2L))).get();
      await("the tail asking the unreachable registry twice").atMost(WAIT)
          .until(() -> tailTopics.schemaRegistry().failures() >= 2);
      assertThat(client.items).as("nothing streamed, nothing skipped while the registry is away")
          .containsExactly("@0");

      gate = forwarder(gatePort, registry.url());
      await("both failures streamed once the registry answers").atMost(WAIT)
          .until(() -> client.items.size() >= 3);
      assertThat(client.items).containsExactly("@0", "during-outage@1", "after-it@2");
    } finally {
      if (gate != null) {
        gate.stop(0);
      }
    }
  }

  /** The topics under {@code prefix} on the registry at {@code registryUrl}, each call to it bounded by {@code timeout}. */
  private static HooklineTopics topics(String prefix, String registryUrl, Duration timeout) {
    SchemaRegistryClient client = new SchemaRegistryClient(
        new SchemaRegistryClient.Settings(registryUrl, null, null, null, timeout));
    return new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(1)
        .withSchemaRegistry(client), RetrySchedule.defaults());
  }

  /** An HTTP server on {@code port} that passes every GET on to {@code target} and its answer back. */
  private static HttpServer forwarder(int port, String target) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      try {
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(target
            + exchange.getRequestURI())).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(answer.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return server;
  }
}
