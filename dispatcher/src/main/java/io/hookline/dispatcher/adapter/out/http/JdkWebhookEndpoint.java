package io.hookline.dispatcher.adapter.out.http;

import io.hookline.dispatcher.application.WebhookEndpoint;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import io.hookline.dispatcher.domain.TargetPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers over the JDK HTTP client: HTTP/1.1 only (no h2c upgrade attempt), redirects never
 * followed, and one hard deadline covering name resolution, connect and response. When the
 * deadline passes the exchange is cancelled and the attempt is a TIMEOUT, whatever the receiver
 * does afterwards. At most {@code excerptBytes} of a response body are kept; the rest is not read.
 *
 * <p>Only http and https URLs are called. Unless private targets are allowed, the host is resolved
 * at every attempt (DNS can change; on the HTTP threads, never the caller's) and a host with any
 * address the {@link TargetPolicy} refuses is not called (TARGET_REFUSED). The client then looks
 * the host up again to connect; that lookup is answered from the JVM's DNS cache (positive entries
 * live 30 s by default, {@code networkaddress.cache.ttl}), so it returns the addresses just
 * checked, except if the cache entry expires between check and connect. Closing that DNS-rebinding
 * window completely would need connecting to the checked address itself, which the JDK client does
 * not offer on Java 17 (no resolver hook; an IP-literal URL breaks TLS name checks).
 */
public final class JdkWebhookEndpoint implements WebhookEndpoint, AutoCloseable {

  private static final String USER_AGENT = "Hookline-Webhooks/1.0";
  /** How late the hard deadline may fire at most. */
  private static final Duration DEADLINE_TICK = Duration.ofMillis(10);

  private final HttpClient client;
  private final ExecutorService executor;
  private final ExecutorService lookups;
  private final Duration timeout;
  private final int excerptBytes;
  private final TargetPolicy targets;
  private final Deadlines deadlines;

  public JdkWebhookEndpoint(Duration timeout, int excerptBytes, TargetPolicy targets) {
    this.timeout = timeout;
    this.excerptBytes = excerptBytes;
    this.targets = targets;
    this.deadlines = new Deadlines(timeout, DEADLINE_TICK);
    // The client's own tasks never block, so a few threads serve any number of requests; a cached
    // pool starts and wakes dozens of threads, a third of the dispatcher's CPU under load.
    this.executor = Executors.newFixedThreadPool(clientThreads(), daemons("webhook-http-"));
    // Name resolution for the target check blocks: it gets threads of its own, kept off the client's.
    this.lookups = Executors.newCachedThreadPool(daemons("webhook-dns-"));
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
      URI uri = URI.create(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return CompletableFuture.completedFuture(DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED,
            "only http and https URLs are called, not '" + scheme + "'"));
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(uri)
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
    AtomicReference<CompletableFuture<HttpResponse<String>>> exchange = new AtomicReference<>();
    CompletableFuture<DeliveryOutcome> outcome = targets.allowsPrivate()
        ? send(request, handler, exchange)
        : CompletableFuture.supplyAsync(() -> refusal(request.uri().getHost()), lookups)
            .thenCompose(refused -> refused.isPresent()
                ? CompletableFuture.completedFuture(refused.get())
                : send(request, handler, exchange));
    return deadlines.watch(outcome).handle((o, error) -> {
      if (error == null) {
        return o;
      }
      CompletableFuture<HttpResponse<String>> running = exchange.get();
      if (running != null) {
        running.cancel(true);
      }
      int status = handler.status();
      // Headers in time but a body that trickles: the status is the receiver's answer.
      return status >= 0 ? OutcomeClassifier.fromStatus(status, handler.excerptSoFar()) : OutcomeClassifier.fromError(error);
    });
  }

  /** Threads for the client's non-blocking work: one per core, at least two. */
  static int clientThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private CompletableFuture<DeliveryOutcome> send(HttpRequest request, ExcerptBodyHandler handler,
      AtomicReference<CompletableFuture<HttpResponse<String>>> exchange) {
    CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request, handler);
    exchange.set(sent);
    return sent.handle((response, error) -> error == null
        ? OutcomeClassifier.fromStatus(response.statusCode(), response.body())
        : OutcomeClassifier.fromError(error));
  }

  private Optional<DeliveryOutcome> refusal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      return Optional.of(DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "unknown host " + host));
    } catch (SecurityException e) {
      throw new CompletionException(e);
    }
    for (InetAddress a : addresses) {
      Optional<String> why = targets.refusal(a);
      if (why.isPresent()) {
        return Optional.of(DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED, host + ": " + why.get()));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    deadlines.close();
    executor.shutdownNow();
    lookups.shutdownNow();
  }
}
