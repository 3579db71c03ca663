package io.hookline.dispatcher.adapter.out.http;

import io.hookline.dispatcher.application.WebhookEndpoint;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers over the JDK HTTP client: HTTP/1.1 only (no h2c upgrade attempt), redirects never
 * followed, and one hard deadline covering connect and response. When the deadline passes the
 * exchange is cancelled and the attempt is a TIMEOUT, whatever the receiver does afterwards. At
 * most {@code excerptBytes} of a response body are kept; the rest is not read.
 */
public final class JdkWebhookEndpoint implements WebhookEndpoint, AutoCloseable {

  private static final String USER_AGENT = "Hookline-Webhooks/1.0";

  private final HttpClient client;
  private final ExecutorService executor;
  private final Duration timeout;
  private final int excerptBytes;

  public JdkWebhookEndpoint(Duration timeout, int excerptBytes) {
    this.timeout = timeout;
    this.excerptBytes = excerptBytes;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "webhook-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.executor = Executors.newCachedThreadPool(threads);
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
  }

  @Override
  public CompletableFuture<DeliveryOutcome> post(String url, Map<String, String> headers, byte[] body) {
    HttpRequest request;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header("User-Agent", USER_AGENT)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(b::header);
      request = b.build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(OutcomeClassifier.fromError(e));
    }
    ExcerptBodyHandler handler = new ExcerptBodyHandler(excerptBytes);
    CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, handler);
    CompletableFuture<DeliveryOutcome> outcome = exchange.handle((response, error) -> error == null
        ? OutcomeClassifier.fromStatus(response.statusCode(), response.body())
        : OutcomeClassifier.fromError(error));
    return outcome.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((o, error) -> {
      if (error == null) {
        return o;
      }
      exchange.cancel(true);
      int status = handler.status();
      // Headers in time but a body that trickles: the status is the receiver's answer.
      return status >= 0 ? OutcomeClassifier.fromStatus(status, handler.excerptSoFar()) : OutcomeClassifier.fromError(error);
    });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
