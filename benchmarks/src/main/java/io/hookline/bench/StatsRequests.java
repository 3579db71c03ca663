package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
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
  private final TimedGets gets = new TimedGets();

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
      HttpResponse<String> r = gets.get(new TimedGets.Target(instance.baseUrl() + overviewPath(), token));
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
    return gets.time("statistics", count, () -> new TimedGets.Target(instance.baseUrl() + paths.get(), token), r -> {
      try {
        check.accept(JSON.readTree(r.body()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
