package io.hookline.dispatcher.adapter.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.TargetPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard of the real HTTP endpoint, with HOOKLINE_ALLOW_PRIVATE_TARGETS off: URLs whose
 * host is or resolves to a loopback address (in its IPv4, IPv6, mapped and name forms) are refused
 * with TARGET_REFUSED, and no connection reaches the listener behind them. Only loopback targets are
 * used here, so a broken guard could never send traffic off this machine; the other ranges (10/8,
 * 169.254.169.254, ...) are covered address by address in TargetPolicyTest.
 */
class TargetGuardTest {

  private final ServerSocket listener = open();
  private final AtomicInteger connections = new AtomicInteger();
  private final HttpWebhookEndpoint guarded = new HttpWebhookEndpoint(Duration.ofSeconds(5), 4096, new TargetPolicy(false));

  private ServerSocket open() {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      Thread t = new Thread(() -> {
        while (!s.isClosed()) {
          try (Socket c = s.accept()) {
            connections.incrementAndGet();
            c.getInputStream().read(new byte[8192]);
            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                .getBytes(StandardCharsets.US_ASCII));
          } catch (IOException e) {
            // closed
          }
        }
      }, "loopback-listener");
      t.setDaemon(true);
      t.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() throws IOException {
    guarded.close();
    listener.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]", "0.0.0.0",
      "127.1.2.3", "LOCALHOST"})
  void loopbackTargetsAreRefusedWithoutAConnection(String host) throws Exception {
    String url = "http://" + host + ":" + listener.getLocalPort() + "/hook";

    DeliveryOutcome o = guarded.post(url, Map.of(), "{}".getBytes()).get(10, TimeUnit.SECONDS);

    assertThat(o).as(url).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
      assertThat(f.reason()).isEqualTo(FailureReason.TARGET_REFUSED);
      assertThat(f.httpStatus()).isNull();
      assertThat(f.message()).contains("HOOKLINE_ALLOW_PRIVATE_TARGETS");
    });
    assertThat(connections.get()).as("connections that reached the listener").isZero();
  }

  @Test
  void theSameTargetIsCalledWhenPrivateTargetsAreAllowed() throws Exception {
    try (HttpWebhookEndpoint open = new HttpWebhookEndpoint(Duration.ofSeconds(5), 4096, new TargetPolicy(true))) {
      DeliveryOutcome o = open.post("http://127.0.0.1:" + listener.getLocalPort() + "/hook", Map.of(), "{}".getBytes())
          .get(10, TimeUnit.SECONDS);
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(connections.get()).isEqualTo(1);
    }
  }

  @Test
  void anUnknownHostIsAConnectionErrorNotARefusal() throws Exception {
    DeliveryOutcome o = guarded.post("http://no-such-host.invalid/hook", Map.of(), "{}".getBytes())
        .get(10, TimeUnit.SECONDS);
    assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
        f -> assertThat(f.reason()).isEqualTo(FailureReason.CONNECTION_ERROR));
  }

  @Test
  void aNameThatRebindsToLoopbackBetweenCheckAndConnectIsRefusedWithoutAConnection() throws Exception {
    // DNS rebinding: a public address (TEST-NET-3, never connected to) for the check, loopback after.
    List<String> lookups = new CopyOnWriteArrayList<>();
    GuardedResolver.Lookup rebinding = host -> {
      lookups.add(host);
      return new InetAddress[] {InetAddress.getByName(lookups.size() == 1 ? "203.0.113.7" : "127.0.0.1")};
    };
    try (HttpWebhookEndpoint endpoint =
        new HttpWebhookEndpoint(Duration.ofSeconds(5), 4096, new TargetPolicy(false), rebinding)) {
      String url = "http://rebind.example:" + listener.getLocalPort() + "/hook";

      DeliveryOutcome o = endpoint.post(url, Map.of(), "{}".getBytes()).get(10, TimeUnit.SECONDS);

      assertThat(lookups).as("checked, then looked up again to connect").containsExactly("rebind.example",
          "rebind.example");
      assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Failed.class, f -> {
        assertThat(f.reason()).isEqualTo(FailureReason.TARGET_REFUSED);
        assertThat(f.message()).isEqualTo("rebind.example: 127.0.0.1 is a loopback address; private targets are not"
            + " allowed (HOOKLINE_ALLOW_PRIVATE_TARGETS)");
      });
      assertThat(connections.get()).as("connections that reached the loopback listener").isZero();
    }
  }
}
