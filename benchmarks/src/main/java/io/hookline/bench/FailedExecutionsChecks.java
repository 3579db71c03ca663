package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.KafkaBroker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the failed-executions benchmark waits for before it measures, and what it checks so that a
 * figure is only reported for right answers: topic leaders, the webhooks seen by an instance, the
 * view loaded to the end of the dead-letter topic, and pages complete and newest first.
 */
final class FailedExecutionsChecks {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaBroker broker;
  private final FailedExecutionsSettings settings;
  private final HooklineTopics topics;
  private final String applicationId;
  private final QueryApiClient client;

  FailedExecutionsChecks(KafkaBroker broker, FailedExecutionsSettings settings, HooklineTopics topics,
      String applicationId, QueryApiClient client) {
    this.broker = broker;
    this.settings = settings;
    this.topics = topics;
    this.applicationId = applicationId;
    this.client = client;
  }

  /**
   * Waits until every partition of the topics answers a ListOffsets on its leader: a produce right
   * after creation can meet a broker that does not host the partition yet.
   */
  void awaitLeaders(List<String> names) {
    broker.awaitLeaders(names, Duration.ofSeconds(60));
  }

  /** Waits until the instance's copy of the webhooks topic holds the last webhook. */
  void awaitWebhooks(QueryApiInstance instance) throws Exception {
    int last = settings.webhooks() - 1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (client.get(instance, PageQueries.webhookPath(last)).statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("query-api " + instance.name() + " did not see the webhooks");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Waits until the view's consumer group has committed every dead-letter record. */
  void awaitViewLoaded() throws Exception {
    awaitConsumed(topics.deadLetter().name());
  }

  /** Waits until the views' consumer group has committed every record of {@code topic}. */
  void awaitConsumed(String topic) throws Exception {
    long deadline = System.nanoTime() + settings.loadTimeout().toNanos();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < settings.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try (Admin admin = broker.admin()) {
      long end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset()).sum();
      long lastLog = System.nanoTime();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long done = committed.entrySet().stream()
            .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
            .mapToLong(e -> e.getValue().offset()).sum();
        if (done >= end) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the view loaded " + done + " of " + end + " records within "
              + settings.loadTimeout().toSeconds() + " s");
        }
        if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
          Progress.log("View: %,d of %,d records processed", done, end);
          lastLog = System.nanoTime();
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  /** Checks a few webhooks' pages on their owner: every failure there, newest first, none lost. */
  void verifyPages(QueryApiInstance instance, List<Integer> webhooks) throws Exception {
    for (int i = 0; i < Math.min(5, webhooks.size()); i++) {
      int w = webhooks.get(i * (webhooks.size() / 5 + 1) % webhooks.size());
      int seen = 0;
      long previous = Long.MAX_VALUE;
      for (int page = 1; ; page++) {
        HttpResponse<String> answer = client.get(instance, PageQueries.executionsPath(w) + "?limit=50&pageno=" + page);
        if (answer.statusCode() != 200) {
          throw new IllegalStateException("page " + page + " of webhook " + w + ": " + answer.statusCode() + " "
              + answer.body());
        }
        JsonNode data = JSON.readTree(answer.body()).get("data");
        if (data.isEmpty()) {
          break;
        }
        for (JsonNode item : data) {
          long time = Long.parseLong(item.get("last_execution_time").asText());
          if (time > previous) {
            throw new IllegalStateException("webhook " + w + " is not newest first");
          }
          previous = time;
        }
        seen += data.size();
      }
      if (seen != settings.perWebhook(w)) {
        throw new IllegalStateException("webhook " + w + " lists " + seen + " failures on " + instance.name()
            + ", expected " + settings.perWebhook(w));
      }
    }
  }
}
