package io.hookline.dispatcher.adapter.out.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The start-up warm-up's webhook receiver: an HTTP/1.1 server on 127.0.0.1, on a port the system
 * picks, that reads every request and answers {@code 200} with a short JSON body at once (keep-alive,
 * {@code TCP_NODELAY}). It lives only while the warm-up runs, and only the warm-up's own client calls
 * it. Apache HttpCore's classic server, already here with HttpClient: the JDK's {@code HttpServer}
 * delays small answers by 40 ms (Nagle) unless a system property is set before its first use, which
 * the management port has made by then.
 */
public final class LoopbackReceiver implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final byte[] ANSWER = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();

  private LoopbackReceiver() throws UnknownHostException {
    this.server = ServerBootstrap.bootstrap()
        .setLocalAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))
        .setListenerPort(0)
        // Requests name it by address, and a server answers 421 to a host it does not know as its own.
        .setCanonicalHostName(HOST)
        .setSocketConfig(SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(Timeout.ofSeconds(30)).build())
        .register("*", (request, response, context) -> {
          EntityUtils.consume(request.getEntity());
          requests.incrementAndGet();
          response.setCode(HttpStatus.SC_OK);
          response.setEntity(new ByteArrayEntity(ANSWER, ContentType.APPLICATION_JSON));
        })
        .create();
  }

  /** Listening once this returns. */
  public static LoopbackReceiver start() {
    LoopbackReceiver receiver = null;
    try {
      receiver = new LoopbackReceiver();
      receiver.server.start();
    } catch (IOException e) {
      if (receiver != null) {
        receiver.close();
      }
      throw new UncheckedIOException("Cannot listen on 127.0.0.1 for the start-up warm-up: " + e.getMessage(), e);
    }
    return receiver;
  }

  /** The URL of {@code path} (starting with a slash) on this receiver. */
  public String url(String path) {
    return "http://" + HOST + ":" + server.getLocalPort() + path;
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.close(CloseMode.IMMEDIATE);
  }
}
