package io.hookline.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real HTTP/1.1 server on 127.0.0.1 and an ephemeral port that plays a webhook subscriber. Each
 * path answers with a scripted {@link Behavior}: a status, a hang (no answer until the client gives
 * up), or an abrupt connection close. Every request is recorded with its headers and body.
 *
 * <p>Written on plain sockets so "never answer" and "close the connection" are real network
 * behaviours, not simulations.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** What the receiver does with one request. */
  public sealed interface Behavior permits Respond, Hang, Close {}

  /** {@code headers}: extra response headers, in this order (e.g. Retry-After). */
  public record Respond(int status, String body, Duration delay, Map<String, String> headers) implements Behavior {
    public Respond(int status, String body, Duration delay) {
      this(status, body, delay, Map.of());
    }
  }

  public record Hang() implements Behavior {}

  public record Close() implements Behavior {}

  public static Behavior status(int status) {
    return new Respond(status, "", Duration.ZERO);
  }

  public static Behavior status(int status, String body) {
    return new Respond(status, body, Duration.ZERO);
  }

  public static Behavior delayed(Duration delay, int status) {
    return new Respond(status, "", delay);
  }

  /** {@code status} with one extra response header. */
  public static Behavior status(int status, String header, String value) {
    return new Respond(status, "", Duration.ZERO, Map.of(header, value));
  }

  public static Behavior hang() {
    return new Hang();
  }

  public static Behavior closeConnection() {
    return new Close();
  }

  /** One request as received. Header names are lower case. */
  public record Request(String method, String path, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "webhook-receiver");
    t.setDaemon(true);
    return t;
  });
  // Appended by every request (tens of thousands in load tests): O(1) adds, snapshots in arrival order.
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final Map<String, Deque<Behavior>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Behavior> defaults = new ConcurrentHashMap<>();
  private final Map<String, java.util.function.Function<Request, Behavior>> responders = new ConcurrentHashMap<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Behavior fallback = status(200);

  private WebhookReceiver(ServerSocket server) {
    this.server = server;
    threads.submit(this::acceptLoop);
  }

  public static WebhookReceiver start() {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
      return new WebhookReceiver(s);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot open a receiver socket", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Every request to {@code path} gets {@code behavior} once its script is used up. */
  public WebhookReceiver answer(String path, Behavior behavior) {
    defaults.put(path, behavior);
    return this;
  }

  /** The next requests to {@code path} get these behaviours in order, then the path's default. */
  public WebhookReceiver script(String path, Behavior... behaviors) {
    scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(behaviors));
    return this;
  }

  /**
   * Every request to {@code path} is answered by what {@code responder} decides from the request
   * (for example from its {@code webhook-id} header); takes precedence over scripts and defaults.
   */
  public WebhookReceiver respond(String path, java.util.function.Function<Request, Behavior> responder) {
    responders.put(path, responder);
    return this;
  }

  /** The behaviour of paths without one of their own (200 by default). */
  public WebhookReceiver answerAll(Behavior behavior) {
    fallback = behavior;
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Waits until at least {@code n} requests matched, and returns those requests. */
  public List<Request> awaitRequests(int n, Predicate<Request> which, Duration timeout) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> requests.stream().filter(which).count() >= n);
    return requests.stream().filter(which).toList();
  }

  public List<Request> awaitRequests(String path, int n, Duration timeout) {
    return awaitRequests(n, r -> r.path().equals(path), timeout);
  }

  private Behavior behaviorFor(Request request) {
    String path = request.path();
    var responder = responders.get(path);
    if (responder != null) {
      return responder.apply(request);
    }
    Deque<Behavior> script = scripts.get(path);
    if (script != null) {
      synchronized (script) {
        Behavior next = script.poll();
        if (next != null) {
          return next;
        }
      }
    }
    return defaults.getOrDefault(path, fallback);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        threads.submit(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        String[] parts = requestLine.split(" ");
        Map<String, List<String>> headers = new TreeMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(line.substring(colon + 1).trim());
          }
        }
        byte[] body = readBody(in, headers);
        String path = parts.length > 1 ? parts[1] : "/";
        Request request = new Request(parts[0], path, Map.copyOf(headers), body, Instant.now());
        requests.add(request);
        Behavior b = behaviorFor(request);
        if (b instanceof Close) {
          socket.setSoLinger(true, 0);
          return;
        }
        if (b instanceof Hang) {
          closed.await();
          return;
        }
        Respond r = (Respond) b;
        if (!r.delay().isZero()) {
          if (closed.await(r.delay().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return;
          }
        }
        byte[] payload = r.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder extra = new StringBuilder();
        r.headers().forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
        String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\n"
            + extra
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + payload.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
        List<String> connection = headers.get("connection");
        if (connection != null && connection.contains("close")) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  private static byte[] readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
    List<String> length = headers.get("content-length");
    if (length != null) {
      return in.readNBytes(Integer.parseInt(length.get(0)));
    }
    List<String> te = headers.get("transfer-encoding");
    if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
          String trailer;
          while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
            // trailers are ignored
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    }
    return new byte[0];
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    if (c == -1 && line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static String reason(int status) {
    return switch (status / 100) {
      case 2 -> "OK";
      case 3 -> "Redirect";
      case 4 -> "Client Error";
      default -> "Server Error";
    };
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    threads.shutdownNow();
  }
}
