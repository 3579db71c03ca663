package io.hookline.bench.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP client of the ceiling and the peers, set up as Hookline's endpoint set up its own before
 * it moved to Apache HttpClient 5 (for its DNS resolver hook): JDK HttpClient, HTTP/1.1, no redirects, a fixed pool of one daemon thread per core (at least
 * two) for the client's tasks, connect timeout and request timeout 5 s, JSON content type and a
 * user agent. The peers neither sign nor record
 * attempts: they do only the POST.
 */
final class PeerHttp {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  final HttpClient client;
  private final ExecutorService executor;

  PeerHttp() {
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "peer-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(TIMEOUT)
        .executor(executor)
        .build();
  }

  static HttpRequest request(String url, byte[] body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", "bench-peer/1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** POSTs and waits; true on 2xx. */
  boolean post(String url, byte[] body) {
    try {
      HttpResponse<Void> r = client.send(request(url, body), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() >= 200 && r.statusCode() < 300;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
