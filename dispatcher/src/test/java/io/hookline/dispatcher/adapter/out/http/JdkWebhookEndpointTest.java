package io.hookline.dispatcher.adapter.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.TargetPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile receivers on a raw socket: an endless body is cut after the excerpt, and the connection
 * is dropped rather than drained.
 */
class JdkWebhookEndpointTest {

  private final ServerSocket server = open();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final CountDownLatch clientHungUp = new CountDownLatch(1);
  private final JdkWebhookEndpoint endpoint = new JdkWebhookEndpoint(Duration.ofSeconds(5), 4096, new TargetPolicy(true));

  private static ServerSocket open() {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() throws IOException {
    endpoint.close();
    server.close();
  }

  /** Answers 200 with a chunked body that never ends, until the client goes away. */
  private void serveEndlessBody() {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int n = in.read(buf); // the request (small enough for one read)
        assertThat(n).isPositive();
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[16 * 1024];
        Arrays.fill(chunk, (byte) 'z');
        byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (true) {
          out.write(head);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          bytesWritten.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        clientHungUp.countDown();
      }
    }, "endless-body");
    t.setDaemon(true);
    t.start();
  }

  @Test
  void anEndlessBodyIsCutAfterTheExcerptAndTheConnectionDropped() throws Exception {
    serveEndlessBody();
    long start = System.nanoTime();

    DeliveryOutcome o = endpoint.post("http://127.0.0.1:" + server.getLocalPort() + "/", Map.of(), "{}".getBytes())
        .get(10, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class, d -> {
      assertThat(d.status()).isEqualTo(200);
      assertThat(d.responseExcerpt()).hasSize(4096).matches("z+");
    });
    // The client hung up instead of draining the body: the server's writes fail.
    assertThat(clientHungUp.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(bytesWritten.get()).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedWithoutARequest() throws Exception {
    for (String url : new String[] {"ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/"}) {
      DeliveryOutcome o = endpoint.post(url, Map.of(), new byte[0]).get(1, TimeUnit.SECONDS);
      assertThat(o).as(url).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
        assertThat(f.reason()).isEqualTo(FailureReason.TARGET_REFUSED);
        assertThat(f.httpStatus()).isNull();
      });
    }
  }
}
