package io.hookline.runtime.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hookline.runtime.HooklineConfiguration;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port of a service without an API (dispatcher, retry-scheduler): {@code GET
 * /metrics} (Prometheus text format), {@code GET /health/liveness} and {@code GET
 * /health/readiness} (200 with {@code {"status":"UP"}}, or 503 with {@code "DOWN"} and why), and
 * nothing else (404). The JDK's own HTTP server on one thread: it starts in milliseconds and adds
 * no dependency; Prometheus and an orchestrator's probes are its only callers.
 *
 * <p>A port that is taken fails start-up (port 0 picks a free one, see {@link #port()}).
 */
public final class ManagementServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  /** The Prometheus text exposition format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private ManagementServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Starts serving on {@code port} of every interface, with the metrics of {@code registry} unless
   * metrics are off ({@code hookline.metrics-enabled}) or there is no registry.
   */
  public static ManagementServer start(String service, int port, HooklineConfiguration shared,
      PrometheusMeterRegistry registry, StartingService<?> probes) {
    boolean metrics = shared.isMetricsEnabled() && registry != null;
    return start(service, port, metrics ? registry::scrape : null, probes::liveness, probes::readiness);
  }

  /**
   * Starts serving on {@code port} of every interface.
   *
   * @param metrics the Prometheus text of the service's metrics, or null when metrics are off
   *     ({@code /metrics} then answers 404)
   */
  public static ManagementServer start(String service, int port, Supplier<String> metrics, Probe liveness,
      Probe readiness) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on management port " + port
          + " (hookline.management-port, HOOKLINE_MANAGEMENT_PORT): " + e.getMessage(), e);
    }
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, service + "-management");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.createContext("/", exchange -> {
      try (exchange) {
        answer(exchange, metrics, liveness, readiness);
      } catch (RuntimeException | IOException e) {
        LOG.warn("Management request {} failed: {}", exchange.getRequestURI(), e.toString());
      }
    });
    server.start();
    ManagementServer started = new ManagementServer(server, thread);
    LOG.info("Management endpoints on port {}: /metrics{}, /health/liveness, /health/readiness", started.port(),
        metrics == null ? " (metrics off)" : "");
    return started;
  }

  private static void answer(HttpExchange exchange, Supplier<String> metrics, Probe liveness, Probe readiness)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      send(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
      return;
    }
    switch (exchange.getRequestURI().getPath()) {
      case "/metrics" -> {
        if (metrics == null) {
          send(exchange, 404, "text/plain; charset=utf-8", "metrics are off (HOOKLINE_METRICS_ENABLED=false)\n");
        } else {
          send(exchange, 200, PROMETHEUS_TEXT, metrics.get());
        }
      }
      case "/health/liveness" -> probe(exchange, liveness);
      case "/health/readiness" -> probe(exchange, readiness);
      default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
    }
  }

  private static void probe(HttpExchange exchange, Probe probe) throws IOException {
    ProbeResult result;
    try {
      result = probe.check();
    } catch (RuntimeException e) {
      result = ProbeResult.down("the check failed: " + e);
    }
    send(exchange, result.up() ? 200 : 503, "application/json", result.json());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port listened on (the chosen one when started with 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
