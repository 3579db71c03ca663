package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Operational webhooks: signed per Standard Webhooks with the operator's secret, retried a bounded number of times. */
class OperatorNotificationsTest {

  static final byte[] BODY = "{\"type\":\"endpoint.disabled\"}".getBytes(StandardCharsets.UTF_8);
  static final String URL = "https://ops.example.com/hookline";

  record Call(String url, Map<String, String> headers, byte[] body) {}

  final List<Call> calls = new ArrayList<>();
  final String secret = newSecret();

  /** An endpoint answering the given outcomes in turn, then the last one again. */
  WebhookEndpoint answering(DeliveryOutcome... outcomes) {
    return (url, headers, body) -> {
      synchronized (calls) {
        calls.add(new Call(url, headers, body));
        return CompletableFuture.completedFuture(outcomes[Math.min(calls.size(), outcomes.length) - 1]);
      }
    };
  }

  OperatorNotifications notifications(WebhookEndpoint endpoint) {
    return new OperatorNotifications(URL, secret, endpoint, List.of(Duration.ofMillis(10), Duration.ofMillis(20)),
        Clock.systemUTC());
  }

  @Test
  void aNoticeIsSignedWithTheOperatorSecretAndTheEventIdAsWebhookId() throws Exception {
    boolean sent = notifications(answering(new DeliveryOutcome.Delivered(204, null)))
        .send("event-1", BODY).get(5, TimeUnit.SECONDS);

    assertThat(sent).isTrue();
    assertThat(calls).hasSize(1);
    Call call = calls.get(0);
    assertThat(call.url()).isEqualTo(URL);
    assertThat(call.headers()).containsEntry("webhook-id", "event-1");
    Map<String, List<String>> headers = new java.util.HashMap<>();
    call.headers().forEach((k, v) -> headers.put(k, List.of(v)));
    assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(new String(call.body(), StandardCharsets.UTF_8),
        headers)).doesNotThrowAnyException();
  }

  @Test
  void aFailedNoticeIsRetriedUntilItGetsThrough() throws Exception {
    DeliveryOutcome down = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 503, "HTTP 503", null);

    boolean sent = notifications(answering(down, down, new DeliveryOutcome.Delivered(200, null)))
        .send("event-2", BODY).get(5, TimeUnit.SECONDS);

    assertThat(sent).isTrue();
    assertThat(calls).hasSize(3).extracting(c -> c.headers().get("webhook-id")).containsOnly("event-2");
  }

  @Test
  void afterTheLastRetryItIsSkipped() throws Exception {
    DeliveryOutcome refused = DeliveryOutcome.Failed.of(FailureReason.TARGET_REFUSED, "private address");

    boolean sent = notifications(answering(refused)).send("event-3", BODY).get(5, TimeUnit.SECONDS);

    assertThat(sent).isFalse();
    assertThat(calls).hasSize(3);
  }

  @Test
  void theLongestANoticeCanTakeIsBounded() {
    assertThat(notifications(answering(new DeliveryOutcome.Delivered(200, null))).longest(Duration.ofSeconds(5)))
        .isEqualTo(Duration.ofMillis(15_030));
  }

  @Test
  void aSecretThatIsNotBase64IsRefusedAtStart() {
    assertThatThrownBy(() -> new OperatorNotifications(URL, "whsec_not base64!", answering(), List.of(),
        Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
  }

  static String newSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}
