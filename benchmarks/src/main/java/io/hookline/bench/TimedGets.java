package io.hookline.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Times authenticated GETs, one at a time on one keep-alive connection: the latency the client sees
 * (on loopback, so the server's time plus a loopback round trip), from sending the request to having
 * read the whole answer. Every answer must be a 200 and pass its check, both after its timing.
 */
final class TimedGets {

  /** A URL and the bearer token it is asked for with. */
  record Target(String url, String token) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** Times {@code count} GETs of the targets {@code targets} gives. */
  LatencySummary time(String label, int count, Supplier<Target> targets, Consumer<HttpResponse<String>> check)
      throws IOException, InterruptedException {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      Target target = targets.get();
      long start = System.nanoTime();
      HttpResponse<String> r = get(target);
      nanos[i] = System.nanoTime() - start;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(target.url() + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
      }
      check.accept(r);
    }
    return LatencySummary.of(label, nanos);
  }

  /** One untimed GET. */
  HttpResponse<String> get(Target target) throws IOException, InterruptedException {
    return PageQueries.get(http, target.url(), target.token());
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
