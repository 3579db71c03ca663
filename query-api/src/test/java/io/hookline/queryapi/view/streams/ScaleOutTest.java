package io.hookline.queryapi.view.streams;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.AttemptSamples;
import io.hookline.queryapi.QueryApiServers;
import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.peer.FailedExecutionsPeer;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.view.peer.PeerPages;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two query-api instances sharing the failed-executions view, as an operator scales it out: one
 * Kafka Streams application id, their own ports and state folders, a real broker, four partitions
 * spread over both, one standby copy each. A question about any webhook gets the same answer from
 * either instance; the internal route a forwarded question travels on refuses callers without a
 * valid token; when one instance stops, the other still answers from its standby copy; an
 * instance whose view is not running answers 503 with Retry-After, never an empty page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@IntegrationTest
class ScaleOutTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final int PARTITIONS = 4;
  private static final int FAILURES_PER_WEBHOOK = 3;

  private static String portal;
  private static String deadLetterTopic;
  private static EmbeddedServer a;
  private static EmbeddedServer b;
  private static KafkaProducer<String, FailedExecution> producer;
  /** Webhook id to the port of the instance that owns its partition, in creation order. */
  private static final Map<String, Integer> owners = new LinkedHashMap<>();
  /** Webhook id to its page as first seen, the answer both instances must give. */
  private static final Map<String, JsonNode> pages = new HashMap<>();

  @BeforeAll
  static void startTwoInstances() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    deadLetterTopic = prefix + "dead-letter";
    String applicationId = "hookline-query-scale-out-" + UUID.randomUUID();
    CompletableFuture<EmbeddedServer> first = CompletableFuture.supplyAsync(() -> start(prefix, applicationId));
    CompletableFuture<EmbeddedServer> second = CompletableFuture.supplyAsync(() -> start(prefix, applicationId));
    a = first.get(60, TimeUnit.SECONDS);
    b = second.get(60, TimeUnit.SECONDS);
    Map<String, Object> producerProps = new HashMap<>(KAFKA.broker().clientProps());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(producerProps, new StringSerializer(),
        AvroSerde.of(FailedExecution.class).serializer());
    portal = "portal" + UUID.randomUUID().toString().substring(0, 8);

    await("both instances running, each owning partitions").atMost(WITHIN).until(ScaleOutTest::balanced);
    // Enough webhooks that each instance owns at least one of them.
    while (ownedBy(a) == 0 || ownedBy(b) == 0) {
      assertThat(owners).as("webhooks created without both instances owning one").hasSizeLessThan(30);
      String webhook = createWebhook();
      owners.put(webhook, activeHost(streams(a), webhook).port());
    }
    long t = 1_700_000_000_000L;
    for (String webhook : owners.keySet()) {
      for (int i = 1; i <= FAILURES_PER_WEBHOOK; i++) {
        FailedExecution f = failed(portal, webhook, webhook + "-e" + i, t + i * 1_000L);
        producer.send(new ProducerRecord<>(deadLetterTopic, webhook, f)).get(10, TimeUnit.SECONDS);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    for (EmbeddedServer server : new EmbeddedServer[] {a, b}) {
      if (server != null && server.getApplicationContext().isRunning()) {
        server.getApplicationContext().close();
      }
    }
  }

  @Test
  @Order(1)
  void bothInstancesGiveTheSameAnswerForWebhooksOwnedByEither() throws Exception {
    for (String webhook : owners.keySet()) {
      JsonNode fromA = awaitFullPage(a, webhook);
      JsonNode fromB = awaitFullPage(b, webhook);
      assertThat(fromB.get("data")).as("webhook %s owned by port %s", webhook, owners.get(webhook))
          .isEqualTo(fromA.get("data"));
      assertThat(ids(fromA)).containsExactly(webhook + "-e3", webhook + "-e2", webhook + "-e1");
      pages.put(webhook, fromA);
    }
    // Filters and paging travel with a forwarded question too.
    for (EmbeddedServer server : new EmbeddedServer[] {a, b}) {
      String elsewhere = ownedElsewhere(server);
      JsonNode filtered = page(server, path(elsewhere) + "?limit=5&pageno=1&to_time=" + (1_700_000_000_000L + 2_000));
      assertThat(ids(filtered)).containsExactly(elsewhere + "-e2", elsewhere + "-e1");
      assertThat(page(server, path(elsewhere) + "?events=chat.ended").get("data")).isEmpty();
    }
    // Each question sent to the other instance is counted, by store, in /metrics.
    for (EmbeddedServer server : new EmbeddedServer[] {a, b}) {
      assertThat(new io.hookline.testing.PrometheusText(get(server, "/metrics").body())
          .valueOrZero("hookline_view_forwarded_queries_total", Map.of("store", "failed-executions")))
          .as("forwarded by port %s", server.getPort()).isGreaterThanOrEqualTo(3.0);
    }
  }

  @Test
  @Order(1)
  void retryNowAndBulkReplayWorkOnAnInstanceThatDoesNotOwnTheWebhook() throws Exception {
    String updateOnly = TestTokens.withScope(portal, "webhooks.UPDATE");
    for (EmbeddedServer server : new EmbeddedServer[] {a, b}) {
      String elsewhere = ownedElsewhere(server);
      awaitFullPage(server, elsewhere);
      HttpResponse<String> one = post(server, path(elsewhere) + "/" + elsewhere + "-e2/retry", updateOnly);
      assertThat(one.statusCode()).as("retry now via port %s: %s", server.getPort(), one.body()).isEqualTo(202);
      assertThat(JSON.readTree(one.body()).get("id").asText()).isEqualTo(elsewhere + "-e2");
      HttpResponse<String> unknown = post(server, path(elsewhere) + "/" + elsewhere + "-nope/retry", updateOnly);
      assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
      HttpResponse<String> bulk = post(server, path(elsewhere) + "/retry", updateOnly);
      assertThat(bulk.statusCode()).as("bulk replay via port %s: %s", server.getPort(), bulk.body()).isEqualTo(202);
      assertThat(JSON.readTree(bulk.body()).get("queued").asInt()).isEqualTo(FAILURES_PER_WEBHOOK);
    }
  }

  @Test
  @Order(1)
  void theAttemptLogAndCursorsGiveTheSameAnswersOnEitherInstance() throws Exception {
    Map<String, Object> producerProps = new HashMap<>(KAFKA.broker().clientProps());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    String attemptsTopic = a.getApplicationContext().getBean(HooklineTopics.class).attempts().name();
    try (KafkaProducer<String, Attempt> attempts = new KafkaProducer<>(producerProps, new StringSerializer(),
        AvroSerde.of(Attempt.class).serializer())) {
      for (String webhook : owners.keySet()) {
        for (int i = 1; i <= 4; i++) {
          Attempt attempt = AttemptSamples.attempt(portal, webhook, webhook + "-e" + i, AttemptStatus.ERROR,
              1_700_000_000_000L + i * 1_000L);
          attempts.send(new ProducerRecord<>(attemptsTopic, webhook, attempt)).get(10, TimeUnit.SECONDS);
        }
      }
    }
    for (String webhook : owners.keySet()) {
      String log = "/api/v2/" + portal + "/webhooks/" + webhook + "/attempts?limit=3";
      JsonNode fromA = awaitAttempts(a, log);
      JsonNode fromB = awaitAttempts(b, log);
      assertThat(fromB.get("data")).as("webhook %s owned by port %s", webhook, owners.get(webhook))
          .isEqualTo(fromA.get("data"));
      assertThat(fromA.get("data")).extracting(item -> item.get("execution_id").asText())
          .containsExactly(webhook + "-e4", webhook + "-e3", webhook + "-e2");
      // A cursor made by one instance opens the next page on the other.
      JsonNode rest = page(b, fromA.get("next").asText());
      assertThat(rest.get("data")).extracting(item -> item.get("execution_id").asText())
          .containsExactly(webhook + "-e1");
      JsonNode back = page(a, rest.get("previous").asText());
      assertThat(back.get("data")).isEqualTo(fromA.get("data"));
    }
  }

  @Test
  @Order(2) // after the attempt log's test, which expects only its own attempts
  void statisticsAndTheOverviewAcrossBothInstancesGiveTheSameAnswersOnEither() throws Exception {
    Map<String, Object> producerProps = new HashMap<>(KAFKA.broker().clientProps());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    String attemptsTopic = a.getApplicationContext().getBean(HooklineTopics.class).attempts().name();
    long hour = Math.floorDiv(System.currentTimeMillis(), 3_600_000L) * 3_600_000L - 3_600_000L;
    try (KafkaProducer<String, Attempt> attempts = new KafkaProducer<>(producerProps, new StringSerializer(),
        AvroSerde.of(Attempt.class).serializer())) {
      for (String webhook : owners.keySet()) {
        for (AttemptStatus status : List.of(AttemptStatus.SENT, AttemptStatus.ERROR)) {
          Attempt attempt = AttemptSamples.attempt(portal, webhook, webhook + "-s-" + status, status, hour + 60_000);
          attempts.send(new ProducerRecord<>(attemptsTopic, webhook, attempt)).get(10, TimeUnit.SECONDS);
        }
      }
    }
    String range = "?from_time=" + hour + "&to_time=" + (hour + 3_600_000L - 1);
    String overview = "/api/v2/" + portal + "/stats" + range;
    JsonNode fromA = awaitStats(a, overview, o -> o.get("data").size() == owners.size()
        && sum(o.get("data"), "attempts") == 2L * owners.size());
    JsonNode fromB = awaitStats(b, overview, o -> sum(o.get("data"), "attempts") == 2L * owners.size());
    assertThat(fromB.get("data")).isEqualTo(fromA.get("data"));
    assertThat(fromA.get("data")).allSatisfy(item -> assertThat(item.get("failures").asLong()).isEqualTo(1));
    for (String webhook : owners.keySet()) {
      String series = "/api/v2/" + portal + "/webhooks/" + webhook + "/stats" + range + "&interval=5m";
      JsonNode seriesA = awaitStats(a, series, s -> s.get("totals").get("attempts").asLong() == 2);
      JsonNode seriesB = awaitStats(b, series, s -> s.get("totals").get("attempts").asLong() == 2);
      assertThat(seriesB.get("data")).as("webhook %s owned by port %s", webhook, owners.get(webhook))
          .isEqualTo(seriesA.get("data"));
      assertThat(seriesB.get("totals")).isEqualTo(seriesA.get("totals"));
    }
  }

  private static long sum(JsonNode items, String field) {
    long sum = 0;
    for (JsonNode item : items) {
      sum += item.get(field).asLong();
    }
    return sum;
  }

  private static JsonNode awaitStats(EmbeddedServer server, String pathAndQuery, Predicate<JsonNode> done) {
    return await("statistics at " + pathAndQuery + " on port " + server.getPort())
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          HttpResponse<String> r = get(server, pathAndQuery);
          if (r.statusCode() == 503 || r.statusCode() == 404) {
            return null;
          }
          assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
          return JSON.readTree(r.body());
        }, p -> p != null && done.test(p));
  }

  @Test
  @Order(1)
  void graphQlListsThePortalsFailuresOwnedByEitherInstance() throws Exception {
    String query = "{\"query\":\"{ undeliveredNotifications(limit: 10, filters: {eventType: \\\"conversation.operator.replied\\\","
        + " creationDateTime: {from: \\\"2020-01-01T00:00:00Z\\\", to: \\\"2030-01-01T00:00:00Z\\\"}})"
        + " { totalCount elements { notification { notificationId webhookId } } } }\"}";
    for (String webhook : owners.keySet()) {
      awaitFullPage(a, webhook);
      awaitFullPage(b, webhook);
    }
    JsonNode fromA = graphQl(a, query);
    JsonNode fromB = graphQl(b, query);
    assertThat(fromA.path("errors").isMissingNode()).as(fromA.toString()).isTrue();
    assertThat(fromA.at("/data/undeliveredNotifications/totalCount").asInt())
        .isEqualTo(owners.size() * FAILURES_PER_WEBHOOK);
    assertThat(fromB).isEqualTo(fromA);
  }

  @Test
  @Order(2)
  void aQuestionGoesToTheOwnerFirstAndAForwardedOneIsNeverForwardedAgain() {
    KafkaStreams streamsOfA = streams(a);
    HostInfo hostA = new HostInfo("127.0.0.1", a.getPort());
    String ownedByB = owners.entrySet().stream().filter(e -> e.getValue() == b.getPort()).findFirst().orElseThrow()
        .getKey();
    FailedExecutionQuery query = new FailedExecutionQuery(ownedByB, 0, Long.MAX_VALUE, Set.of(), 50, 1);
    AtomicInteger localReads = new AtomicInteger();
    List<HostInfo> asked = new ArrayList<>();
    StoreRouting.LocalRead<String> local = stores -> "local " + localReads.incrementAndGet();
    StoreRouting.PeerRead<String> peer = (host, caller) -> {
      asked.add(host);
      return "from " + StoreRouting.address(host);
    };

    Caller client = new Caller(portal, TestTokens.forPortal(portal), false);
    String answer = new StoreRouting(streamsOfA, hostA, () -> Optional.of(client))
        .route(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, new StringSerializer())
        .answer(query.webhookId(), local, peer);
    assertThat(answer).isEqualTo("from 127.0.0.1:" + b.getPort());
    assertThat(localReads).hasValue(0);

    // An instance that holds no copy of the partition, asked by another instance: 503, no forwarding.
    Caller forwarded = new Caller(portal, TestTokens.forPortal(portal), true);
    StoreRouting.Route<String> noCopyHere = new StoreRouting(streamsOfA, new HostInfo("127.0.0.1", 1),
        () -> Optional.of(forwarded)).route(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, new StringSerializer());
    asked.clear();
    assertThatThrownBy(() -> noCopyHere.answer(query.webhookId(), local, peer))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(asked).isEmpty();
    assertThat(localReads).hasValue(0);
  }

  @Test
  @Order(3)
  void theInternalRouteOfAForwardedQuestionNeedsTheCallersValidToken() throws Exception {
    String webhook = owners.keySet().iterator().next();
    String internal = PeerProtocol.webhookPath(portal, webhook, FailedExecutionsPeer.VIEW)
        + "?from_time=0&to_time=" + Long.MAX_VALUE + "&limit=50&start=offset:0";
    EmbeddedServer owner = owners.get(webhook) == a.getPort() ? a : b;

    assertThat(send(owner, internal, null).statusCode()).as("no token").isEqualTo(401);
    assertThat(send(owner, internal, TestTokens.signedWithAnotherSecret(portal)).statusCode()).as("forged token")
        .isEqualTo(401);
    assertThat(send(owner, internal, TestTokens.expired(portal)).statusCode()).as("expired token").isEqualTo(401);
    assertThat(send(owner, internal, TestTokens.forPortal("another" + portal)).statusCode())
        .as("another portal's token").isEqualTo(403);
    assertThat(send(owner, internal, TestTokens.withScope(portal, "webhooks.CREATE")).statusCode())
        .as("a token without webhooks.READ").isEqualTo(403);

    HttpResponse<byte[]> ok = sendForBytes(owner, internal, TestTokens.withScope(portal, "webhooks.READ"));
    assertThat(ok.statusCode()).isEqualTo(200);
    List<FailedExecution> page = PeerPages.decode(ok.body(), AvroSerde.of(FailedExecution.class)).items();
    assertThat(page).extracting(FailedExecution::getExecutionId)
        .containsExactly(webhook + "-e3", webhook + "-e2", webhook + "-e1");
  }

  @Test
  @Order(4)
  void aViewThatIsNotRunningAnswers503WithRetryAfter() throws Exception {
    HooklineTopics topics = a.getApplicationContext().getBean(HooklineTopics.class);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "hookline-query-not-started-" + UUID.randomUUID());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, TestTokens.freshStateDir());
    try (KafkaStreams notStarted = new KafkaStreams(FailedExecutionsTopology.build(topics, Duration.ofDays(1)), props)) {
      StoreRouting.Route<String> route = new StoreRouting(notStarted, new HostInfo("127.0.0.1", 1), Optional::empty)
          .route(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, new StringSerializer());
      assertThatThrownBy(() -> route.answer("w", stores -> List.of(), (host, caller) -> List.of()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("not ready");
    }
  }

  @Test
  @Order(5)
  void whenOneInstanceStopsTheOtherStillAnswersTheSameFromItsStandby() throws Exception {
    // First only A's view stops (its HTTP API stays up): A answers 503 with Retry-After for every
    // webhook, and B, for which A still owns half the partitions, answers from its standby copies.
    streams(a).close(Duration.ofSeconds(20));
    for (String webhook : owners.keySet()) {
      HttpResponse<String> r = get(a, path(webhook));
      assertThat(r.statusCode()).as("A without its view, %s: %s", webhook, r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
    }
    assertSameAnswersFrom(b);

    // Then A is gone altogether: B's forwards cannot connect, and the standby still answers.
    a.getApplicationContext().close();
    assertSameAnswersFrom(b);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static EmbeddedServer start(String prefix, String applicationId) {
    return QueryApiServers.start(Map.of(
        "hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers(),
        "hookline.topic-prefix", prefix,
        "hookline.topic-partitions", PARTITIONS,
        "hookline.query-application-id", applicationId,
        "hookline.state-dir", TestTokens.freshStateDir(),
        "hookline.query-standby-replicas", 1,
        "hookline.failed-retention", "36500d"));
  }

  private static KafkaStreams streams(EmbeddedServer server) {
    return server.getApplicationContext().getBean(QueryViewsStreams.class).streams();
  }

  /** Both running, and A's metadata shows two instances that each own partitions with a standby. */
  private static boolean balanced() {
    if (streams(a).state() != KafkaStreams.State.RUNNING || streams(b).state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    var clients = streams(a).metadataForAllStreamsClients();
    return clients.size() == 2 && clients.stream().allMatch(c -> !c.topicPartitions().isEmpty()
        && !c.standbyTopicPartitions().isEmpty())
        && clients.stream().map(StreamsMetadata::hostInfo).map(HostInfo::port).toList()
            .containsAll(List.of(a.getPort(), b.getPort()));
  }

  private static HostInfo activeHost(KafkaStreams streams, String webhook) {
    KeyQueryMetadata metadata = streams.queryMetadataForKey(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE,
        webhook, new StringSerializer());
    return metadata.activeHost();
  }

  private static long ownedBy(EmbeddedServer server) {
    return owners.values().stream().filter(port -> port == server.getPort()).count();
  }

  private static String ownedElsewhere(EmbeddedServer server) {
    return owners.entrySet().stream().filter(e -> e.getValue() != server.getPort()).findFirst().orElseThrow()
        .getKey();
  }

  private static void assertSameAnswersFrom(EmbeddedServer server) {
    for (String webhook : owners.keySet()) {
      JsonNode page = awaitFullPage(server, webhook);
      assertThat(page.get("data")).as("webhook %s, owned by port %s", webhook, owners.get(webhook))
          .isEqualTo(pages.get(webhook).get("data"));
    }
  }

  /** The webhook's page once the instance shows all its failures; 503s meanwhile carry Retry-After. */
  private static JsonNode awaitFullPage(EmbeddedServer server, String webhook) {
    return await("all failures of " + webhook + " on port " + server.getPort())
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          HttpResponse<String> r = get(server, path(webhook));
          if (r.statusCode() == 503) {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            return null;
          }
          if (r.statusCode() == 404) {
            return null; // this instance's copy of the webhooks topic has not seen the webhook yet
          }
          assertThat(r.statusCode()).as("%s: %s", webhook, r.body()).isEqualTo(200);
          return JSON.readTree(r.body());
        }, p -> p != null && p.get("data").size() == FAILURES_PER_WEBHOOK);
  }

  /** The attempt-log page once the instance counts all four attempts of the webhook. */
  private static JsonNode awaitAttempts(EmbeddedServer server, String pathAndQuery) {
    return await("all attempts at " + pathAndQuery + " on port " + server.getPort())
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          HttpResponse<String> r = get(server, pathAndQuery);
          if (r.statusCode() == 503 || r.statusCode() == 404) {
            return null;
          }
          assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
          return JSON.readTree(r.body());
        }, p -> p != null && p.get("pagination").get("total").intValue() == 4);
  }

  private static String path(String webhook) {
    return "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
  }

  private static JsonNode page(EmbeddedServer server, String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(server, pathAndQuery);
    assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("data").forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  private static String createWebhook() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(a, "/api/v2/" + portal + "/webhooks"))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + TestTokens.forPortal(portal))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"url\":\"https://example.com/hook\",\"events\":[\"conversation.created\"]}"))
        .build();
    HttpResponse<String> r = HTTP.send(request, BodyHandlers.ofString());
    assertThat(r.statusCode()).as("create: %s", r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  private static URI uri(EmbeddedServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static HttpResponse<String> get(EmbeddedServer server, String path) throws Exception {
    return send(server, path, TestTokens.withScope(portal, "webhooks.READ"));
  }

  private static HttpResponse<String> send(EmbeddedServer server, String path, String token) throws Exception {
    return HTTP.send(request(server, path, token), BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(EmbeddedServer server, String path, String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token)
        .POST(BodyPublishers.noBody())
        .build();
    return HTTP.send(request, BodyHandlers.ofString());
  }

  private static JsonNode graphQl(EmbeddedServer server, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(server, "/graphql")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + TestTokens.withScope(portal, "webhooks.READ"))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> r = HTTP.send(request, BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<byte[]> sendForBytes(EmbeddedServer server, String path, String token)
      throws Exception {
    return HTTP.send(request(server, path, token), BodyHandlers.ofByteArray());
  }

  private static HttpRequest request(EmbeddedServer server, String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }
}
