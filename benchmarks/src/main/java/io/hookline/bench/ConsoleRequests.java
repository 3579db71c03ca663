package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Trigger;
import io.hookline.schemas.HooklineTopics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The console's pages as a browser asks for them, over HTTP on one instance, one at a time: the
 * overview of the stats portal ({@code GET /console/stats}: its {@code stats-webhooks} webhooks
 * ranked by their last 24 hours, the first 50 rendered) and the pages of failed executions of the
 * failed-executions data set ({@code GET /console/{portal}/webhooks/{id}/executions/{executionId}}).
 * The data set holds the failed executions but not their attempts, so the attempts of the executions
 * whose pages are asked for are written first, four each, as the dispatcher records them: the pages
 * show what they show in production. The console takes the same bearer token as the API (the
 * session cookie is only its fallback), each page its portal's. Every answer is checked: a 200 page
 * listing every webhook of the portal, or showing the execution asked for with its four attempts.
 */
final class ConsoleRequests {

  /** A failed execution as its webhook's first page lists it (its first execution was 3 minutes before its last). */
  record Execution(int webhook, String id, String event, long lastExecutionTime) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RETRY_EVERY_MS = 60_000;
  private static final int ATTEMPTS = 4;

  private final FailedExecutionsSettings settings;
  private final Map<String, String> tokens;
  private final TimedGets gets = new TimedGets();

  /** @param tokens bearer token by portal */
  ConsoleRequests(FailedExecutionsSettings settings, Map<String, String> tokens) {
    this.settings = settings;
    this.tokens = tokens;
  }

  LatencySummary overview(QueryApiInstance instance, int count) throws IOException, InterruptedException {
    TimedGets.Target target = new TimedGets.Target(instance.baseUrl() + "/console/" + StatsLoad.PORTAL,
        tokens.get(StatsLoad.PORTAL));
    String summary = ">" + settings.statsWebhooks() + " webhooks, ";
    return gets.time("console overview", count, () -> target, r -> {
      if (!r.body().contains(summary)) {
        throw new IllegalStateException("the console overview does not list " + settings.statsWebhooks()
            + " webhooks: " + TimedGets.abbreviate(r.body()));
      }
    });
  }

  /** Picks {@code count} failed executions, each a random one of a random webhook's first page. */
  List<Execution> sample(QueryApiClient client, QueryApiInstance instance, int count, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    List<Execution> sample = new ArrayList<>();
    while (sample.size() < count) {
      int w = random.nextInt(settings.webhooks());
      HttpResponse<String> page = client.get(instance, PageQueries.executionsPath(w) + "?limit=50");
      JsonNode data = page.statusCode() == 200 ? JSON.readTree(page.body()).get("data") : null;
      if (data == null || data.isEmpty()) {
        throw new IllegalStateException("no failed executions of webhook " + w + ": " + page.statusCode() + " "
            + TimedGets.abbreviate(page.body()));
      }
      JsonNode item = data.get(random.nextInt(data.size()));
      sample.add(new Execution(w, item.get("id").asText(), item.get("event").asText(),
          Long.parseLong(item.get("last_execution_time").asText())));
    }
    return sample;
  }

  /** Writes the attempts of every execution: the first and three scheduled retries, HTTP 500, a minute apart. */
  void writeAttempts(String bootstrapServers, HooklineTopics topics, List<Execution> executions) throws Exception {
    var topic = topics.attempts();
    try (KafkaProducer<String, Attempt> producer = new KafkaProducer<>(
        FailedExecutionsLoad.producerProps(bootstrapServers), topic.keySerde().serializer(),
        topic.valueSerde().serializer())) {
      FailedExecutionsLoad.Sender sender = new FailedExecutionsLoad.Sender();
      for (Execution e : executions) {
        String webhookId = FailedExecutionsLoad.webhookId(e.webhook());
        for (int n = 1; n <= ATTEMPTS; n++) {
          long createdAt = e.lastExecutionTime() - (ATTEMPTS - n) * RETRY_EVERY_MS;
          Attempt attempt = Attempt.newBuilder()
              .setExecutionId(e.id())
              .setWebhookId(webhookId)
              .setPortal(FailedExecutionsLoad.portalOf(e.webhook()))
              .setEventId("console-event-" + e.id())
              .setEvent(e.event())
              .setUrl("https://hooks-" + e.webhook() + ".example.com/salesiq/events")
              .setAttempt(n)
              .setTrigger(n == 1 ? Trigger.INITIAL : Trigger.SCHEDULED)
              .setStatus(AttemptStatus.ERROR)
              .setHttpStatus(500)
              .setErrorCode("HTTP_ERROR")
              .setErrorMessage("HTTP 500")
              .setResponseExcerpt("{\"error\":\"internal server error\"}")
              .setDurationMs(120 + n)
              .setCreatedAt(createdAt)
              .setRequestHeaders(Map.of("webhook-id", e.id(), "webhook-timestamp", Long.toString(createdAt / 1000),
                  "webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="))
              .build();
          producer.send(new ProducerRecord<>(topic.name(), webhookId, attempt), sender);
        }
      }
      producer.flush();
      sender.check((long) executions.size() * ATTEMPTS);
    }
  }

  /** Times the page of each execution, in turn. */
  LatencySummary executions(QueryApiInstance instance, List<Execution> executions)
      throws IOException, InterruptedException {
    Iterator<Execution> next = executions.iterator();
    String lastAttempt = "data-attempt=\"" + ATTEMPTS + "\"";
    return gets.time("console execution page", executions.size(), () -> {
      Execution e = next.next();
      String portal = FailedExecutionsLoad.portalOf(e.webhook());
      return new TimedGets.Target(instance.baseUrl() + "/console/" + portal + "/webhooks/"
          + FailedExecutionsLoad.webhookId(e.webhook()) + "/executions/" + e.id(), tokens.get(portal));
    }, r -> {
      String path = r.uri().getPath();
      if (!r.body().contains(path.substring(path.lastIndexOf('/') + 1)) || !r.body().contains(lastAttempt)) {
        throw new IllegalStateException("the page of " + path + " does not show its execution and its "
            + ATTEMPTS + " attempts: " + TimedGets.abbreviate(r.body()));
      }
    });
  }
}
