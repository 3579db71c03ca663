package io.hookline.bench.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook receiver every contender POSTs to: a real HTTP/1.1 server (the JDK's, keep-alive,
 * a pool of handler threads) that reads the body, records the event's arrival and answers 200 with
 * no body at once. Paths are {@code /<contender>/<webhook index>}; once a contender's recorder is
 * {@linkplain ArrivalRecorder#isolate() isolated}, one webhook in ten gets no answer at all: its
 * exchange is held open (no thread held) until the contender's run ends.
 */
final class BenchReceiver implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService handlers;
  private final Map<String, ArrivalRecorder> recorders = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<HttpExchange>> held = new ConcurrentHashMap<>();

  private BenchReceiver(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  static BenchReceiver start(int threads) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
    AtomicInteger n = new AtomicInteger();
    ExecutorService handlers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "receiver-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(handlers);
    BenchReceiver receiver = new BenchReceiver(server, handlers);
    server.createContext("/", receiver::handle);
    server.start();
    return receiver;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String url(String contender, int webhook) {
    return baseUrl() + "/" + contender + "/" + webhook;
  }

  void register(String contender, ArrivalRecorder recorder) {
    recorders.put(contender, recorder);
    held.put(contender, new ConcurrentLinkedQueue<>());
  }

  /** Closes the connections held for a contender's hanging webhooks and forgets the contender. */
  void release(String contender) {
    ConcurrentLinkedQueue<HttpExchange> q = held.remove(contender);
    if (q != null) {
      q.forEach(HttpExchange::close);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    long now = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    int slash = path.indexOf('/', 1);
    ArrivalRecorder recorder = slash < 0 ? null : recorders.get(path.substring(1, slash));
    if (recorder == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    int webhook = Integer.parseInt(path, slash + 1, path.length(), 10);
    if (recorder.hangs(webhook)) {
      ConcurrentLinkedQueue<HttpExchange> q = held.get(path.substring(1, slash));
      if (q != null) {
        q.add(exchange); // never answered; the client gives up after its timeout
        return;
      }
    }
    recorder.arrived(BenchEvents.seqOf(body), BenchEvents.sentOf(body), now);
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  @Override
  public void close() {
    held.keySet().forEach(this::release);
    server.stop(0);
    handlers.shutdownNow();
  }
}
