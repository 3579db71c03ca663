package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Losing a query-api instance under load loses no answer. Two instances share the views (one
 * application id, one standby copy each); failing executions keep arriving through the dispatcher
 * while three threads query both instances: failed executions, attempts, a webhook's statistics,
 * the portal overview, the webhook list and one webhook. One instance is SIGKILLed; its partitions
 * stay with it until the (here 6 s) session timeout, then move to the survivor. Every answer meanwhile
 * must be correct (checked against the dead letters the test saw) or a 503 with {@code Retry-After}:
 * never a 500, an answer missing a failure that was already in the view, or a wait over 5 s. The
 * killed instance is started again, restores its copy from the changelogs and answers correctly.
 *
 * <p>Correctness: "probe" webhooks get a fixed set of failures before the kill, at least two on
 * every partition (so on the killed instance's, whichever they are); their answers must match that
 * set exactly. "Load" webhooks fail all along; their pages must never shrink below what both
 * instances showed before the kill, and every item shown must be a real dead letter.
 */
@EndToEndTest
@Lanes.Alone
class QueryApiLossEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "acme";
  private static final String PROBE_EVENT = "probe.sent";
  private static final String LOAD_EVENT = "load.sent";
  private static final int PROBES_PER_PARTITION = 2;
  private static final int PROBE_EVENTS = 3;
  private static final int LOAD_WEBHOOKS = 3;
  private static final Duration LOAD_EVERY = Duration.ofMillis(250);
  private static final int QUERY_THREADS = 3;
  /** The longest a client waits for an answer; anything slower counts as wrong. */
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** How long a query-api JVM may take to start on a busy machine. */
  private static final Duration START_WITHIN = Duration.ofSeconds(150);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(ANSWER_WITHIN).build();

  /** What the test knows: the probe webhooks' failures and attempts, the load webhooks' floors. */
  private final Map<String, Set<String>> probeFailures = new HashMap<>();
  private final Map<String, Integer> probeAttempts = new HashMap<>();
  private final Map<String, Integer> loadFloor = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> loadShown = new ConcurrentHashMap<>();
  private final List<String> webhooks = new ArrayList<>();
  /** Why the 503s came, by their message with the numbers taken out, for the report. */
  private final Map<String, AtomicInteger> unavailableWhy = new ConcurrentHashMap<>();

  @Test
  void killingAQueryApiInstanceUnderLoadGivesOnlyCorrectAnswersOr503s() throws Exception {
    long started = System.nanoTime();
    try (WebhookReceiver receiver = WebhookReceiver.start();
        RunningHookline hookline = RunningHookline.start(KAFKA.broker(), "1s", RunningHookline.logDir("query-api-loss"),
            Map.of("HOOKLINE_QUERY_SESSION_TIMEOUT", "6s"));
        var producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
        var deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps())) {
      receiver.answer("/fail", WebhookReceiver.status(500));
      RunningHookline.QueryApiReplica replica = hookline.startQueryApiReplica();
      Awaitility.await("second instance healthy").atMost(START_WITHIN).pollInterval(Duration.ofMillis(200))
          .ignoreExceptions().until(() -> replica.health().statusCode() == 200);

      // Both instances hold active partitions (and standbys of the other's), as after a scale-out.
      Awaitility.await("both instances own partitions").atMost(WAIT).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> activePartitions(hookline.apiUrl()) >= 1 && activePartitions(replica.apiUrl()) >= 1);

      // Probe webhooks until every partition holds PROBES_PER_PARTITION of them, then the load webhooks.
      Map<Integer, Integer> perPartition = new HashMap<>();
      while (perPartition.size() < RunningHookline.PARTITIONS
          || perPartition.values().stream().anyMatch(n -> n < PROBES_PER_PARTITION)) {
        String id = EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/fail"), List.of(PROBE_EVENT)).get("id").asText();
        perPartition.merge(partition(id), 1, Integer::sum);
        probeFailures.put(id, new HashSet<>());
        assertThat(probeFailures).as("webhooks created to cover every partition").hasSizeLessThan(40);
      }
      webhooks.addAll(probeFailures.keySet());
      for (int i = 0; i < LOAD_WEBHOOKS; i++) {
        String id = EndToEnd.createWebhook(hookline, PORTAL, receiver.url("/fail"), List.of(LOAD_EVENT)).get("id").asText();
        loadShown.put(id, ConcurrentHashMap.newKeySet());
        webhooks.add(id);
      }

      // The probes' failures, and a steady stream of failing executions from here on.
      for (int i = 0; i < PROBE_EVENTS; i++) {
        EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), PROBE_EVENT);
      }
      AtomicInteger loadEvents = new AtomicInteger();
      ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
      load.scheduleAtFixedRate(() -> {
        try {
          EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), LOAD_EVENT);
          loadEvents.incrementAndGet();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, 0, LOAD_EVERY.toMillis(), TimeUnit.MILLISECONDS);

      Awaitility.await("the probes' dead letters").atMost(WAIT).until(() ->
          deadLetters.values(d -> probeFailures.containsKey(d.getWebhookId())).size() == probeFailures.size() * PROBE_EVENTS);
      for (FailedExecution d : deadLetters.values(d -> probeFailures.containsKey(d.getWebhookId()))) {
        probeFailures.get(d.getWebhookId()).add(d.getExecutionId());
        probeAttempts.merge(d.getWebhookId(), d.getNumberOfRetries() + 1, Integer::sum);
      }
      List<String> both = List.of(hookline.apiUrl(), replica.apiUrl());
      Awaitility.await("both instances show every probe failure and some load failures").atMost(WAIT)
          .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String base : both) {
              for (String id : probeFailures.keySet()) {
                assertCorrect(hookline, base, Query.PROBE_EXECUTIONS, id);
              }
              for (String id : loadShown.keySet()) {
                assertThat(pageSize(hookline, base, id)).as("failures of load webhook %s at %s", id, base).isPositive();
              }
            }
          });
      // The floor of each load webhook: what both instances showed (a page holds at most 50).
      for (String id : loadShown.keySet()) {
        Awaitility.await("the page of " + id + " on both").atMost(WAIT).ignoreExceptions().until(() -> {
          loadFloor.put(id, Math.min(pageSize(hookline, both.get(0), id), pageSize(hookline, both.get(1), id)));
          return true;
        });
      }

      AtomicReference<List<String>> live = new AtomicReference<>(both);
      AtomicReference<String> phase = new AtomicReference<>("before");
      Map<String, Map<Answer, AtomicInteger>> counts = new ConcurrentHashMap<>();
      List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
      Map<Query, AtomicLong> slowestMs = new ConcurrentHashMap<>();
      AtomicInteger inFlightToReplica = new AtomicInteger();
      AtomicBoolean querying = new AtomicBoolean(true);
      ExecutorService queries = Executors.newFixedThreadPool(QUERY_THREADS);
      for (int t = 0; t < QUERY_THREADS; t++) {
        queries.submit(() -> {
          while (querying.get()) {
            List<String> targets = live.get();
            String base = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
            boolean toReplica = base.equals(replica.apiUrl());
            if (toReplica) {
              inFlightToReplica.incrementAndGet();
            }
            String current = phase.get();
            Query query = Query.values()[ThreadLocalRandom.current().nextInt(Query.values().length)];
            String id = query.probe ? pick(probeFailures.keySet()) : pick(loadShown.keySet());
            long t0 = System.nanoTime();
            Answer answer;
            try {
              answer = check(hookline, base, query, id);
            } catch (AnswerException e) {
              answer = Answer.WRONG;
              wrong.add(current + " " + base + " " + query + " " + id + ": " + e.getMessage());
            } finally {
              if (toReplica) {
                inFlightToReplica.decrementAndGet();
              }
            }
            slowestMs.computeIfAbsent(query, q -> new AtomicLong())
                .accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            counts.computeIfAbsent(current, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet();
          }
          return null;
        });
      }
      try {
        Awaitility.await("answers before the kill").atMost(WAIT)
            .until(() -> total(counts.get("before")) >= 30);

        // The crash. A load balancer would stop sending to the dead instance; requests already
        // on their way to it are let finish first (a crash cuts those, and they are no answers).
        live.set(List.of(hookline.apiUrl()));
        Awaitility.await().atMost(ANSWER_WITHIN.multipliedBy(2)).until(() -> inFlightToReplica.get() == 0);
        phase.set("outage");
        long killedAt = System.nanoTime();
        replica.kill();
        Awaitility.await("the survivor owns every partition").atMost(WAIT).pollInterval(Duration.ofMillis(250))
            .ignoreExceptions().until(() -> activePartitions(hookline.apiUrl()) == RunningHookline.PARTITIONS);
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        int answersAtTakeover = total(counts.get("outage"));
        Awaitility.await("answers after the takeover").atMost(WAIT)
            .until(() -> total(counts.get("outage")) >= answersAtTakeover + 30);

        // The killed instance comes back, restores from the changelogs and serves again.
        long restartAt = System.nanoTime();
        replica.start();
        Awaitility.await("restarted instance healthy").atMost(START_WITHIN).pollInterval(Duration.ofMillis(100))
            .ignoreExceptions().until(() -> replica.health().statusCode() == 200);
        long healthyMs = (System.nanoTime() - restartAt) / 1_000_000;
        // Right after /health says UP: every probe webhook's failures, from the restarted instance.
        Map<Answer, Integer> firstAfterHealthy = new java.util.EnumMap<>(Answer.class);
        for (String id : probeFailures.keySet()) {
          firstAfterHealthy.merge(checkQuietly(hookline, replica.apiUrl(), Query.PROBE_EXECUTIONS, id), 1, Integer::sum);
        }
        phase.set("after");
        live.set(both);
        Awaitility.await("the restarted instance answers every probe exactly").atMost(WAIT).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> probeFailures.keySet()
                .forEach(id -> assertCorrect(hookline, replica.apiUrl(), Query.PROBE_EXECUTIONS, id)));
        long servingMs = (System.nanoTime() - restartAt) / 1_000_000;
        Awaitility.await("answers after the restart").atMost(WAIT).until(() -> total(counts.get("after")) >= 30);
        querying.set(false);
        load.shutdownNow();

        // Caught up: once the load stops, both instances count every dead letter of every load webhook.
        int published = loadEvents.get();
        Awaitility.await("every load execution dead-lettered").atMost(WAIT).until(() ->
            deadLetters.values(d -> loadShown.containsKey(d.getWebhookId())).stream()
                .map(FailedExecution::getExecutionId).distinct().count() >= (long) published * LOAD_WEBHOOKS);
        Map<String, Set<String>> loadDead = new HashMap<>();
        deadLetters.values(d -> loadShown.containsKey(d.getWebhookId()))
            .forEach(d -> loadDead.computeIfAbsent(d.getWebhookId(), k -> new HashSet<>()).add(d.getExecutionId()));
        for (String base : both) {
          for (String id : loadShown.keySet()) {
            Awaitility.await("all dead letters of " + id + " counted at " + base).atMost(WAIT)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get(base + "/api/v2/" + PORTAL + "/webhooks/" + id + "/stats", hookline)
                    .path("totals").path("dead_letters").asInt() == loadDead.get(id).size());
          }
        }
        // Every failure a load webhook's page showed was a real dead letter of that webhook.
        loadShown.forEach((id, shown) -> assertThat(loadDead.get(id)).as("items shown for %s", id).containsAll(shown));

        System.out.printf("query-api loss: %d webhooks (%d probes), %d load events; answers by phase %s; slowest ms %s;"
                + " takeover %d ms after the kill; restarted instance healthy after %d ms (first queries then: %s),"
                + " all probes served after %d ms; test %d s%n",
            webhooks.size(), probeFailures.size(), published, summary(counts), slowestMs, takeoverMs, healthyMs,
            firstAfterHealthy, servingMs, (System.nanoTime() - started) / 1_000_000_000);
        System.out.println("query-api loss: 503s by reason " + unavailableWhy);
        assertThat(wrong).as("answers that were neither correct nor a 503 with Retry-After").isEmpty();
        assertThat(counts.get("outage").get(Answer.CORRECT)).as("correct answers during the outage").isNotNull();
        assertThat(firstAfterHealthy).as("the first queries after /health said UP").doesNotContainKey(Answer.WRONG);
      } finally {
        querying.set(false);
        load.shutdownNow();
        queries.shutdown();
        queries.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The questions the query loop asks; {@code probe} says whose webhook it asks about. */
  private enum Query {
    PROBE_EXECUTIONS(true), LOAD_EXECUTIONS(false), PROBE_ATTEMPTS(true), PROBE_STATS(true), PORTAL_STATS(true),
    WEBHOOK_LIST(true), WEBHOOK(false);

    final boolean probe;

    Query(boolean probe) {
      this.probe = probe;
    }
  }

  private enum Answer { CORRECT, UNAVAILABLE, WRONG }

  /** An answer that is neither correct nor a 503 with Retry-After, with what was wrong. */
  private static final class AnswerException extends Exception {
    AnswerException(String message) {
      super(message);
    }
  }

  /** Asks {@code query} about webhook {@code id} at {@code base}; CORRECT, UNAVAILABLE, or AnswerException. */
  private Answer check(RunningHookline hookline, String base, Query query, String id) throws AnswerException {
    String webhookPath = "/api/v2/" + PORTAL + "/webhooks/" + id;
    String path = switch (query) {
      case PROBE_EXECUTIONS, LOAD_EXECUTIONS -> webhookPath + "/executions";
      case PROBE_ATTEMPTS -> webhookPath + "/attempts?limit=500";
      case PROBE_STATS -> webhookPath + "/stats";
      case PORTAL_STATS -> "/api/v2/" + PORTAL + "/stats";
      case WEBHOOK_LIST -> "/api/v2/" + PORTAL + "/webhooks";
      case WEBHOOK -> webhookPath;
    };
    HttpResponse<String> response = send(hookline, base + path);
    if (response.statusCode() == 503) {
      if (response.headers().firstValue("Retry-After").isEmpty()) {
        throw new AnswerException("503 without Retry-After: " + response.body());
      }
      String why = EndToEnd.read(response.body()).path("message").asText().replaceAll("[0-9]+", "N");
      unavailableWhy.computeIfAbsent(why, w -> new AtomicInteger()).incrementAndGet();
      return Answer.UNAVAILABLE;
    }
    if (response.statusCode() != 200) {
      throw new AnswerException(response.statusCode() + " " + response.body());
    }
    JsonNode body = EndToEnd.read(response.body());
    switch (query) {
      case PROBE_EXECUTIONS -> expect(ids(body.path("data"), "id"), probeFailures.get(id), body);
      case LOAD_EXECUTIONS -> {
        Set<String> shown = ids(body.path("data"), "id");
        if (shown.size() < loadFloor.getOrDefault(id, 0)) {
          throw new AnswerException(shown.size() + " failures, fewer than the " + loadFloor.get(id) + " shown before");
        }
        loadShown.get(id).addAll(shown);
      }
      case PROBE_ATTEMPTS -> {
        expect(ids(body.path("data"), "execution_id"), probeFailures.get(id), body);
        expectNumber(body.path("pagination").path("total").asInt(), probeAttempts.get(id), "attempts", body);
      }
      case PROBE_STATS -> {
        expectNumber(body.path("totals").path("dead_letters").asInt(), probeFailures.get(id).size(), "dead letters", body);
        expectNumber(body.path("totals").path("attempts").asInt(), probeAttempts.get(id), "attempts", body);
      }
      case PORTAL_STATS -> {
        Map<String, JsonNode> rows = new HashMap<>();
        body.path("data").forEach(row -> rows.put(row.path("webhook_id").asText(), row));
        if (!rows.keySet().containsAll(webhooks)) {
          throw new AnswerException("overview without every webhook: " + response.body());
        }
        for (String probe : probeFailures.keySet()) {
          expectNumber(rows.get(probe).path("dead_letters").asInt(), probeFailures.get(probe).size(),
              "dead letters of " + probe, body);
        }
      }
      case WEBHOOK_LIST -> {
        if (!ids(body.path("data"), "id").containsAll(webhooks)) {
          throw new AnswerException("list without every webhook: " + response.body());
        }
      }
      case WEBHOOK -> {
        if (!id.equals(body.path("id").asText())) {
          throw new AnswerException("another webhook: " + response.body());
        }
      }
    }
    return Answer.CORRECT;
  }

  /** Fails with what was wrong unless {@code query} is answered correctly (not even a 503). */
  private void assertCorrect(RunningHookline hookline, String base, Query query, String id) {
    try {
      assertThat(check(hookline, base, query, id)).as("%s of %s at %s", query, id, base).isEqualTo(Answer.CORRECT);
    } catch (AnswerException e) {
      throw new AssertionError(query + " of " + id + " at " + base + ": " + e.getMessage(), e);
    }
  }

  private Answer checkQuietly(RunningHookline hookline, String base, Query query, String id) {
    try {
      return check(hookline, base, query, id);
    } catch (AnswerException e) {
      return Answer.WRONG;
    }
  }

  private HttpResponse<String> send(RunningHookline hookline, String url) throws AnswerException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_WITHIN)
        .header("Authorization", "Bearer " + hookline.token(PORTAL)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new AnswerException("no answer within " + ANSWER_WITHIN.toMillis() + " ms");
    } catch (java.io.IOException e) {
      throw new AnswerException("no answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnswerException("interrupted");
    }
  }

  private JsonNode get(String url, RunningHookline hookline) throws AnswerException {
    HttpResponse<String> response = send(hookline, url);
    if (response.statusCode() != 200) {
      throw new AnswerException(response.statusCode() + " " + response.body());
    }
    return EndToEnd.read(response.body());
  }

  private int pageSize(RunningHookline hookline, String base, String id) throws AnswerException {
    return get(base + "/api/v2/" + PORTAL + "/webhooks/" + id + "/executions", hookline).path("data").size();
  }

  /** The number of partitions whose active copy the instance at {@code base} holds, from /health. */
  private int activePartitions(String base) throws Exception {
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(ANSWER_WITHIN)
        .build(), HttpResponse.BodyHandlers.ofString());
    JsonNode views = EndToEnd.read(health.body()).path("components").path("views");
    return health.statusCode() == 200 ? views.path("details").path("active_partitions").asInt() : -1;
  }

  private static void expect(Set<String> shown, Set<String> expected, JsonNode body) throws AnswerException {
    if (!shown.equals(expected)) {
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(shown);
      throw new AnswerException("missing " + missing + ", unexpected " + shown.stream()
          .filter(s -> !expected.contains(s)).collect(Collectors.toSet()) + " in " + body);
    }
  }

  private static void expectNumber(int shown, int expected, String what, JsonNode body) throws AnswerException {
    if (shown != expected) {
      throw new AnswerException(shown + " " + what + " instead of " + expected + " in " + body);
    }
  }

  private static Set<String> ids(JsonNode items, String field) {
    Set<String> ids = new HashSet<>();
    items.forEach(item -> ids.add(item.path(field).asText()));
    return ids;
  }

  /** The partition of a webhook's records: every keyed topic is keyed by webhook id with the default partitioner. */
  private static int partition(String webhookId) {
    return Utils.toPositive(Utils.murmur2(webhookId.getBytes(StandardCharsets.UTF_8))) % RunningHookline.PARTITIONS;
  }

  private static String pick(Set<String> ids) {
    List<String> list = List.copyOf(ids);
    return list.get(ThreadLocalRandom.current().nextInt(list.size()));
  }

  private static int total(Map<Answer, AtomicInteger> counts) {
    return counts == null ? 0 : counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private static String summary(Map<String, Map<Answer, AtomicInteger>> counts) {
    StringBuilder out = new StringBuilder();
    for (String phase : List.of("before", "outage", "after")) {
      Map<Answer, AtomicInteger> c = counts.getOrDefault(phase, Map.of());
      out.append(phase).append(" {200 correct=").append(count(c, Answer.CORRECT))
          .append(", 503=").append(count(c, Answer.UNAVAILABLE))
          .append(", other=").append(count(c, Answer.WRONG)).append("} ");
    }
    return out.toString().trim();
  }

  private static int count(Map<Answer, AtomicInteger> counts, Answer answer) {
    AtomicInteger n = counts.get(answer);
    return n == null ? 0 : n.get();
  }
}
