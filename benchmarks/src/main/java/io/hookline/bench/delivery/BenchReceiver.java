package io.hookline.bench.delivery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook receiver every contender POSTs to: a small non-blocking HTTP/1.1 server (keep-alive,
 * Content-Length bodies, one acceptor and a few selector threads, TCP_NODELAY) that reads each
 * request, records the event's arrival and answers {@code 200} with an empty body at once. The JDK's
 * own HttpServer was measured first and was too slow here (about 1,000 requests/s on the loaded
 * 2-core machine, and connections reset at 512 concurrent clients), so it would have been the
 * ceiling of every contender.
 *
 * <p>Paths are {@code /<contender>/<webhook index>}. Once a contender's recorder is
 * {@linkplain ArrivalRecorder#isolate() isolated}, one webhook in ten gets no answer at all: the
 * connection stays open, unanswered, until the client gives up (closes it) or the contender's run
 * ends.
 */
final class BenchReceiver implements AutoCloseable {

  private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NOT_FOUND =
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocketChannel server;
  private final Worker[] workers;
  private final Thread acceptor;
  private final AtomicLong accepted = new AtomicLong();
  private final Map<String, ArrivalRecorder> recorders = new ConcurrentHashMap<>();
  private final Map<String, Queue<SocketChannel>> held = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  private BenchReceiver(ServerSocketChannel server, int threads) throws IOException {
    this.server = server;
    this.workers = new Worker[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker(Selector.open());
      Thread t = new Thread(workers[i], "receiver-" + (i + 1));
      t.setDaemon(true);
      t.start();
    }
    this.acceptor = new Thread(this::accept, "receiver-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static BenchReceiver start(int threads) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
    return new BenchReceiver(server, threads);
  }

  String baseUrl() {
    try {
      return "http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String url(String contender, int webhook) {
    return baseUrl() + "/" + contender + "/" + webhook;
  }

  void register(String contender, ArrivalRecorder recorder) {
    recorders.put(contender, recorder);
    held.put(contender, new ConcurrentLinkedQueue<>());
  }

  /** Closes the connections held unanswered for a contender and forgets the contender. */
  void release(String contender) {
    recorders.remove(contender);
    Queue<SocketChannel> q = held.remove(contender);
    if (q != null) {
      q.forEach(BenchReceiver::closeQuietly);
    }
  }

  /** Connections accepted since start, by every contender. */
  long accepted() {
    return accepted.get();
  }

  private void accept() {
    AtomicInteger next = new AtomicInteger();
    while (running) {
      try {
        SocketChannel c = server.accept();
        accepted.incrementAndGet();
        c.configureBlocking(false);
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        workers[Math.floorMod(next.getAndIncrement(), workers.length)].add(c);
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  /** One selector thread serving its share of the connections. */
  private final class Worker implements Runnable {
    private final Selector selector;
    private final Queue<SocketChannel> added = new ConcurrentLinkedQueue<>();

    Worker(Selector selector) {
      this.selector = selector;
    }

    void add(SocketChannel c) {
      added.add(c);
      selector.wakeup();
    }

    @Override
    public void run() {
      while (running) {
        try {
          selector.select(500);
          SocketChannel c;
          while ((c = added.poll()) != null) {
            c.register(selector, SelectionKey.OP_READ, new Connection(c));
          }
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            Connection conn = (Connection) key.attachment();
            try {
              if (!key.isValid()) {
                continue;
              }
              if (key.isWritable()) {
                conn.flush(key);
              }
              if (key.isValid() && key.isReadable()) {
                conn.read(key);
              }
            } catch (IOException | RuntimeException e) {
              key.cancel();
              closeQuietly(conn.channel);
            }
          }
        } catch (IOException e) {
          if (!running) {
            return;
          }
        }
      }
    }
  }

  /** One keep-alive connection: parses requests as bytes arrive and answers each in turn. */
  private final class Connection {
    final SocketChannel channel;
    ByteBuffer in = ByteBuffer.allocate(8192);
    final List<ByteBuffer> out = new ArrayList<>();
    boolean hanging;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void read(SelectionKey key) throws IOException {
      int n = channel.read(in);
      if (n < 0) {
        key.cancel();
        closeQuietly(channel);
        return;
      }
      if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      if (hanging) {
        in.clear(); // nothing more is answered on this connection
        return;
      }
      while (parseOne(key)) {
        if (hanging) {
          return;
        }
      }
      flush(key);
    }

    /** Handles one complete request at the start of the buffer, if there is one. */
    private boolean parseOne(SelectionKey key) {
      byte[] a = in.array();
      int len = in.position();
      int headerEnd = -1;
      for (int i = 3; i < len; i++) {
        if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
          headerEnd = i + 1;
          break;
        }
      }
      if (headerEnd < 0) {
        return false;
      }
      String head = new String(a, 0, headerEnd, StandardCharsets.ISO_8859_1);
      int contentLength = contentLength(head);
      if (len < headerEnd + contentLength) {
        if (in.capacity() < headerEnd + contentLength) {
          ByteBuffer bigger = ByteBuffer.allocate(headerEnd + contentLength);
          in.flip();
          bigger.put(in);
          in = bigger;
        }
        return false;
      }
      long now = System.nanoTime();
      int sp1 = head.indexOf(' ');
      int sp2 = head.indexOf(' ', sp1 + 1);
      String path = head.substring(sp1 + 1, sp2);
      byte[] body = new byte[contentLength];
      System.arraycopy(a, headerEnd, body, 0, contentLength);
      // Keep what follows (a pipelined request) at the start of the buffer.
      int rest = len - headerEnd - contentLength;
      System.arraycopy(a, headerEnd + contentLength, a, 0, rest);
      in.position(rest);
      int slash = path.indexOf('/', 1);
      String contender = slash < 0 ? "" : path.substring(1, slash);
      ArrivalRecorder recorder = recorders.get(contender);
      if (recorder == null) {
        out.add(ByteBuffer.wrap(NOT_FOUND));
        return true;
      }
      int webhook = Integer.parseInt(path, slash + 1, path.length(), 10);
      if (recorder.hangs(webhook)) {
        Queue<SocketChannel> q = held.get(contender);
        if (q != null) {
          hanging = true;
          q.add(channel);
          return false;
        }
      }
      recorder.arrived(BenchEvents.seqOf(body), webhook, BenchEvents.sentOf(body), now);
      out.add(ByteBuffer.wrap(OK));
      return true;
    }

    void flush(SelectionKey key) throws IOException {
      while (!out.isEmpty()) {
        ByteBuffer b = out.get(0);
        channel.write(b);
        if (b.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
          return;
        }
        out.remove(0);
      }
      key.interestOps(SelectionKey.OP_READ);
    }
  }

  private static int contentLength(String head) {
    int from = 0;
    while (true) {
      int nl = head.indexOf("\r\n", from);
      if (nl < 0) {
        return 0;
      }
      int colon = head.indexOf(':', from);
      if (colon > from && colon < nl && head.regionMatches(true, from, "content-length", 0, colon - from)) {
        return Integer.parseInt(head.substring(colon + 1, nl).trim());
      }
      from = nl + 2;
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    running = false;
    held.keySet().forEach(this::release);
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Worker w : workers) {
      w.selector.wakeup();
    }
  }
}
