package io.hookline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Sends failed-executions page queries over HTTP, each paired with a baseline request sent by the
 * same client right after it (interleaved, so both see the same machine), and records both
 * latencies. Queries are 50-item pages of random webhooks of the given set: half plain, a fifth with
 * a five-day {@code from_time}/{@code to_time} window, a fifth with an {@code events} filter of two
 * names, a tenth for page 2. Every answer is checked: 200, and a non-empty page where the webhook
 * has the data for one; a wrong answer counts as an error, and a run with errors is not a
 * measurement.
 */
final class PageQueries {

  /** One measured series: the page queries, their paired baseline requests, and wrong answers. */
  record Result(LatencySummary queries, LatencySummary baseline, int errors, List<String> errorSamples) {}

  private final FailedExecutionsSettings settings;
  private final List<Integer> webhooks;
  private final Map<String, String> tokens;
  private final long now;
  private final String target;
  private final BiFunction<Integer, String, String> paired;

  /**
   * @param webhooks the webhooks to query (indices)
   * @param target base URL the page queries go to
   * @param paired the baseline request's URL for a webhook and the page query's path and query
   */
  PageQueries(FailedExecutionsSettings settings, List<Integer> webhooks, Map<String, String> tokens, long now,
      String target, BiFunction<Integer, String, String> paired) {
    if (webhooks.isEmpty()) {
      throw new IllegalArgumentException("no webhooks to query on " + target);
    }
    this.settings = settings;
    this.webhooks = List.copyOf(webhooks);
    this.tokens = tokens;
    this.now = now;
    this.target = target;
    this.paired = paired;
  }

  static String executionsPath(int w) {
    return "/api/v2/" + FailedExecutionsLoad.portalOf(w) + "/webhooks/" + FailedExecutionsLoad.webhookId(w)
        + "/executions";
  }

  static String webhookPath(int w) {
    return "/api/v2/" + FailedExecutionsLoad.portalOf(w) + "/webhooks/" + FailedExecutionsLoad.webhookId(w);
  }

  Result run(String label, int count, int concurrency, long seed) throws InterruptedException {
    long[] queryNanos = new long[count];
    long[] baselineNanos = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      SplittableRandom random = new SplittableRandom(seed * 31 + t);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      Thread thread = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < count) {
          int w = webhooks.get(random.nextInt(webhooks.size()));
          PageQuery query = randomQuery(settings, now, random);
          String pathAndQuery = executionsPath(w) + query.queryString();
          String token = tokens.get(FailedExecutionsLoad.portalOf(w));
          try {
            long start = System.nanoTime();
            HttpResponse<String> page = get(http, target + pathAndQuery, token);
            queryNanos[i] = System.nanoTime() - start;
            check(page, query.mustHaveData(settings, w), errors, samples);
            start = System.nanoTime();
            HttpResponse<String> base = get(http, paired.apply(w, pathAndQuery), token);
            baselineNanos[i] = System.nanoTime() - start;
            if (base.statusCode() != 200) {
              fail(errors, samples, "baseline " + base.statusCode() + " " + base.uri());
            }
          } catch (IOException e) {
            fail(errors, samples, e.toString());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }, "bench-query-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return new Result(LatencySummary.of(label, queryNanos), LatencySummary.of(label + " baseline", baselineNanos),
        errors.get(), List.copyOf(samples));
  }

  /**
   * One page query of the mix: {@code kind} 0-4 plain, 5-6 a five-day time window, 7-8 two event
   * names, 9 page 2; always 50 items a page.
   */
  record PageQuery(int kind, long from, long to, List<String> events, int pageno) {

    String queryString() {
      StringBuilder q = new StringBuilder("?limit=50");
      if (from > 0 || to < Long.MAX_VALUE) {
        q.append("&from_time=").append(from).append("&to_time=").append(to);
      }
      if (!events.isEmpty()) {
        q.append("&events=").append(String.join(",", events));
      }
      if (pageno > 1) {
        q.append("&pageno=").append(pageno);
      }
      return q.toString();
    }

    /** Whether webhook {@code w} has failures for this page whatever the random window or events. */
    boolean mustHaveData(FailedExecutionsSettings settings, int w) {
      return kind < 5 ? settings.perWebhook(w) > 0 : kind == 9 && settings.perWebhook(w) > 50;
    }
  }

  static PageQuery randomQuery(FailedExecutionsSettings settings, long now, SplittableRandom random) {
    int kind = random.nextInt(10);
    if (kind < 5) {
      return new PageQuery(kind, 0, Long.MAX_VALUE, List.of(), 1);
    }
    if (kind < 7) {
      long window = Duration.ofDays(5).toMillis();
      long to = now - random.nextLong(Math.max(1, settings.spread().toMillis() - window));
      return new PageQuery(kind, to - window, to, List.of(), 1);
    }
    if (kind < 9) {
      List<String> events = FailedExecutionsLoad.EVENTS;
      int a = random.nextInt(events.size());
      int b = (a + 1 + random.nextInt(events.size() - 1)) % events.size();
      return new PageQuery(kind, 0, Long.MAX_VALUE, List.of(events.get(a), events.get(b)), 1);
    }
    return new PageQuery(kind, 0, Long.MAX_VALUE, List.of(), 2);
  }

  private static void check(HttpResponse<String> page, boolean mustHaveData, AtomicInteger errors,
      ConcurrentLinkedQueue<String> samples) {
    if (page.statusCode() != 200) {
      fail(errors, samples, page.statusCode() + " " + page.uri() + ": " + abbreviate(page.body()));
      return;
    }
    String body = page.body();
    if (!body.contains("\"object\":\"list\"") || (mustHaveData && body.contains("\"data\":[]"))) {
      fail(errors, samples, "wrong page for " + page.uri() + ": " + abbreviate(body));
    }
  }

  private static void fail(AtomicInteger errors, ConcurrentLinkedQueue<String> samples, String what) {
    if (errors.incrementAndGet() <= 3) {
      samples.add(what);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  static HttpResponse<String> get(HttpClient http, String url, String token) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
