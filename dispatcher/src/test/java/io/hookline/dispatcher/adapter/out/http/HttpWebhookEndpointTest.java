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
class HttpWebhookEndpointTest {

  private final ServerSocket server = open();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final CountDownLatch clientHungUp = new CountDownLatch(1);
  private final HttpWebhookEndpoint endpoint = new HttpWebhookEndpoint(Duration.ofSeconds(5), 4096, new TargetPolicy(true));

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

  /** Answers 200 with headers promising 100 bytes, sends 10 of them, then neither sends nor closes. */
  private void serveStalledBody(CountDownLatch release) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        assertThat(s.getInputStream().read(new byte[8192])).isPositive();
        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
            + "0123456789").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        release.await(30, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        // the test is over
      }
    }, "stalled-body");
    t.setDaemon(true);
    t.start();
  }

  @Test
  void aBodyThatStallsAfterTheHeadersIsCutAtTheDeadlineWithTheReceiversStatus() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    serveStalledBody(release);
    try (HttpWebhookEndpoint quick = new HttpWebhookEndpoint(Duration.ofSeconds(1), 4096, new TargetPolicy(true))) {
      long start = System.nanoTime();

      DeliveryOutcome o = quick.post("http://127.0.0.1:" + server.getLocalPort() + "/", Map.of(), "{}".getBytes())
          .get(10, TimeUnit.SECONDS);

      // The JDK client's own request timeout stops at the headers: only the endpoint's deadline ends this.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950), Duration.ofSeconds(3));
      assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class, d -> {
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.responseExcerpt()).isEqualTo("0123456789");
      });
    } finally {
      release.countDown();
    }
  }

  @Test
  void aReceiverThatNeverAnswersIsATimeoutAtTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread silent = new Thread(() -> {
      try (Socket s = server.accept()) {
        release.await(30, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        // the test is over
      }
    }, "silent");
    silent.setDaemon(true);
    silent.start();
    try (HttpWebhookEndpoint quick = new HttpWebhookEndpoint(Duration.ofSeconds(1), 4096, new TargetPolicy(true))) {
      long start = System.nanoTime();

      DeliveryOutcome o = quick.post("http://127.0.0.1:" + server.getLocalPort() + "/", Map.of(), "{}".getBytes())
          .get(10, TimeUnit.SECONDS);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950), Duration.ofSeconds(3));
      assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
          f -> assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT));
    } finally {
      release.countDown();
    }
  }
}
