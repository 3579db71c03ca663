package io.hookline.dispatcher.adapter.out.http;

import io.hookline.dispatcher.application.WebhookEndpoint;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.OutcomeClassifier;
import io.hookline.dispatcher.domain.TargetPolicy;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Delivers over Apache HttpClient 5 (async, NIO): HTTP/1.1 only, redirects never followed, no
 * retries, and one hard deadline covering name resolution, connect and response. When the deadline
 * passes the exchange is cancelled and the attempt is a TIMEOUT, whatever the receiver does
 * afterwards. At most {@code excerptBytes} of a response body are kept; the rest is not read.
 *
 * <p>Only http and https URLs are called. Unless private targets are allowed, the host is resolved
 * at every attempt (DNS can change; on threads of their own, never the caller's) and a host with any
 * address the {@link TargetPolicy} refuses is not called (TARGET_REFUSED). The client opens
 * connections through a {@link GuardedResolver}, which checks the addresses of the very lookup it
 * connects to, so a name that answers a public address to the check and a private one at connect
 * time (DNS rebinding) is refused too, and nothing reaches the private address. TLS is checked
 * against the URL's host name (SNI and certificate name), never the address. Kept-alive connections
 * are reused only for the same scheme, host and port, so they lead to addresses checked when they
 * were opened.
 */
public final class HttpWebhookEndpoint implements WebhookEndpoint, AutoCloseable {

  private static final String USER_AGENT = "Hookline-Webhooks/1.0";
  private static final ContentType JSON = ContentType.create("application/json");
  /** How late the hard deadline may fire at most. */
  private static final Duration DEADLINE_TICK = Duration.ofMillis(10);
  /** Idle kept-alive connections are closed after this, like the JDK client's default. */
  private static final TimeValue IDLE = TimeValue.ofSeconds(30);

  private final CloseableHttpAsyncClient client;
  private final ExecutorService lookups;
  private final int excerptBytes;
  private final TargetPolicy targets;
  private final GuardedResolver resolver;
  private final Deadlines deadlines;

  public HttpWebhookEndpoint(Duration timeout, int excerptBytes, TargetPolicy targets) {
    this(timeout, excerptBytes, targets, GuardedResolver.SYSTEM);
  }

  /** With {@code dns} answering every name lookup (a test can make it change its answer). */
  HttpWebhookEndpoint(Duration timeout, int excerptBytes, TargetPolicy targets, GuardedResolver.Lookup dns) {
    this.excerptBytes = excerptBytes;
    this.targets = targets;
    this.resolver = new GuardedResolver(dns, targets);
    this.deadlines = new Deadlines(timeout, DEADLINE_TICK);
    // Name resolution for the target check blocks: it gets threads of its own, kept off the client's.
    this.lookups = Executors.newCachedThreadPool(daemons("webhook-dns-"));
    Timeout limit = Timeout.of(timeout);
    this.client = HttpAsyncClients.custom()
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setDnsResolver(resolver)
            // The dispatcher bounds requests in flight itself; many webhooks may share one host.
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setMaxConnPerRoute(Integer.MAX_VALUE)
            .setMaxConnTotal(Integer.MAX_VALUE)
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
            .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setHandshakeTimeout(limit).build())
            .build())
        // The client's own tasks never block, so a few I/O threads serve any number of requests.
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(clientThreads()).setTcpNoDelay(true).build())
        .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false).setConnectionRequestTimeout(limit)
            .setResponseTimeout(limit).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableConnectionState()
        .evictIdleConnections(IDLE)
        .setUserAgent(USER_AGENT)
        .build();
    client.start();
  }

  @Override
  public CompletableFuture<DeliveryOutcome> post(String url, Map<String, String> headers, byte[] body) {
    SimpleRequestBuilder request;
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
      request = SimpleRequestBuilder.post(uri).setBody(body, JSON);
      headers.forEach(request::setHeader);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(OutcomeClassifier.fromError(e));
    }
    ExcerptConsumer consumer = new ExcerptConsumer(excerptBytes);
    AtomicReference<Future<DeliveryOutcome>> exchange = new AtomicReference<>();
    String host = request.getAuthority().getHostName();
    CompletableFuture<DeliveryOutcome> outcome = targets.allowsPrivate()
        ? send(request, consumer, exchange)
        : CompletableFuture.supplyAsync(() -> refusal(host), lookups)
            .thenCompose(refused -> refused.isPresent()
                ? CompletableFuture.completedFuture(refused.get())
                : send(request, consumer, exchange));
    return deadlines.watch(outcome).handle((o, error) -> {
      if (error == null) {
        return o;
      }
      Future<DeliveryOutcome> running = exchange.get();
      if (running != null) {
        running.cancel(true);
      }
      int status = consumer.status();
      // Headers in time but a body that trickles: the status is the receiver's answer.
      return status >= 0 ? OutcomeClassifier.fromStatus(status, consumer.excerptSoFar(), consumer.retryAfter()) : OutcomeClassifier.fromError(error);
    });
  }

  /** Threads for the client's non-blocking work: one per core, at least two. */
  static int clientThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  private static java.util.concurrent.ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private CompletableFuture<DeliveryOutcome> send(SimpleRequestBuilder request, ExcerptConsumer consumer,
      AtomicReference<Future<DeliveryOutcome>> exchange) {
    CompletableFuture<DeliveryOutcome> done = new CompletableFuture<>();
    exchange.set(client.execute(SimpleRequestProducer.create(request.build()), consumer,
        new FutureCallback<DeliveryOutcome>() {
          @Override
          public void completed(DeliveryOutcome result) {
            done.complete(result);
          }

          @Override
          public void failed(Exception error) {
            done.complete(outcomeOf(error, consumer));
          }

          @Override
          public void cancelled() {
            done.completeExceptionally(new java.util.concurrent.CancellationException("exchange cancelled"));
          }
        }));
    return done;
  }

  private static DeliveryOutcome outcomeOf(Exception error, ExcerptConsumer consumer) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ExcerptConsumer.ExcerptFull
          || (t instanceof java.io.InterruptedIOException && consumer.status() >= 0)) {
        // Enough of the body for the excerpt, or headers in time but a body that trickled past the
        // timeout: the exchange was cut there, and the receiver's status stands.
        return OutcomeClassifier.fromStatus(consumer.status(), consumer.excerptSoFar(), consumer.retryAfter());
      }
      if (t instanceof GuardedResolver.RefusedTarget refused) {
        return DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED, refused.getMessage());
      }
    }
    return OutcomeClassifier.fromError(error);
  }

  private Optional<DeliveryOutcome> refusal(String host) {
    try {
      resolver.resolve(host);
      return Optional.empty();
    } catch (GuardedResolver.RefusedTarget e) {
      return Optional.of(DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED, e.getMessage()));
    } catch (UnknownHostException e) {
      return Optional.of(DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "unknown host " + host));
    } catch (SecurityException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public void close() {
    deadlines.close();
    client.close(CloseMode.IMMEDIATE);
    lookups.shutdownNow();
  }
}
