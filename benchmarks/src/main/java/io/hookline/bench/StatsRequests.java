package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The delivery statistics queries of the benchmark, over HTTP on one instance, one at a time: a
 * webhook's series over the last 24 hours at one point a minute
 * ({@code GET .../webhooks/{id}/stats?interval=1m}, 1,440 points), and the overview of the stats
 * portal's webhooks over the last 24 hours ({@code GET .../stats}). Every answer is checked (200,
 * every point, every webhook), and the wait for the data checks that every attempt was counted once.
 */
final class StatsRequests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FailedExecutionsSettings settings;
  private final StatsLoad load;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  StatsRequests(FailedExecutionsSettings settings, StatsLoad load, Map<String, String> tokens) {
    this.settings = settings;
    this.load = load;
    this.token = tokens.get(StatsLoad.PORTAL);
  }

  String overviewPath() {
    return "/api/v2/" + StatsLoad.PORTAL + "/stats?from_time=" + load.from();
  }

  String seriesPath(int w) {
    return "/api/v2/" + StatsLoad.PORTAL + "/webhooks/" + StatsLoad.webhookId(w) + "/stats?interval=1m&from_time="
        + load.from();
  }

  /** Waits until {@code instance}'s overview counts every attempt of every stats webhook. */
  void awaitCounted(QueryApiInstance instance) throws Exception {
    long deadline = System.nanoTime() + settings.loadTimeout().toNanos();
    long counted = -1;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = PageQueries.get(http, instance.baseUrl() + overviewPath(), token);
      if (r.statusCode() == 200) {
        JsonNode data = JSON.readTree(r.body()).get("data");
        counted = 0;
        for (JsonNode item : data) {
          counted += item.get("attempts").asLong();
        }
        if (data.size() == settings.statsWebhooks() && counted == settings.statsAttempts()) {
          return;
        }
        if (counted > settings.statsAttempts()) {
          throw new IllegalStateException("the statistics count " + counted + " attempts of "
              + settings.statsAttempts());
        }
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("the statistics counted " + counted + " of " + settings.statsAttempts()
        + " attempts within " + settings.loadTimeout().toSeconds() + " s");
  }

  LatencySummary series(QueryApiInstance instance, List<Integer> webhooks, int count, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    return measure(instance, count, () -> seriesPath(webhooks.get(random.nextInt(webhooks.size()))), answer -> {
      int points = answer.get("data").size();
      if (points < 1_440) {
        throw new IllegalStateException("a 24-hour series of " + points + " points");
      }
    });
  }

  LatencySummary overview(QueryApiInstance instance, int count) throws Exception {
    return measure(instance, count, this::overviewPath, answer -> {
      int webhooks = answer.get("data").size();
      if (webhooks != settings.statsWebhooks()) {
        throw new IllegalStateException("an overview of " + webhooks + " webhooks");
      }
    });
  }

  /** Times {@code count} requests of the paths {@code paths} gives; each answer is checked after its timing. */
  private LatencySummary measure(QueryApiInstance instance, int count, Supplier<String> paths,
      Consumer<JsonNode> check) throws Exception {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      String path = paths.get();
      long start = System.nanoTime();
      HttpResponse<String> r = get(instance, path);
      nanos[i] = System.nanoTime() - start;
      check.accept(JSON.readTree(r.body()));
    }
    return LatencySummary.of("statistics", nanos);
  }

  private HttpResponse<String> get(QueryApiInstance instance, String pathAndQuery)
      throws IOException, InterruptedException {
    HttpResponse<String> r = PageQueries.get(http, instance.baseUrl() + pathAndQuery, token);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
    }
    return r;
  }
}
