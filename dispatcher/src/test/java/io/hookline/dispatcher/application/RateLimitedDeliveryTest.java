package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.Throttling;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A webhook with a rate limit starts at most that many requests per second of the clock, the rest
 * waiting in its lane while other webhooks go on; an instance that does not own the webhook hands
 * its first attempts over instead of delivering them.
 */
class RateLimitedDeliveryTest {

  final DeliveryServiceTest t = new DeliveryServiceTest();
  final AtomicLong now = new AtomicLong(1_000_000_100L);
  final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  DeliveryService service(WebhookOwnership ownership) {
    return new DeliveryService(t.directory, t.endpoint, new ContractEventBodies(), t.log,
        new RetryPolicy(RetrySchedule.parse("1s,1s,1s")), new DeliveryLimits(10, 10, 10_000, Duration.ofSeconds(5)),
        IsolationLimits.OFF, clock, t.fatal, SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "test"),
        Runnable::run, EndpointMonitor.off(), DeliveryMetrics.NONE, new Throttling(Duration.ofMinutes(5)), ownership);
  }

  void limited(String id, String event, int perSecond) {
    t.directory.webhooks.put(id, new Webhook(id, "zylker", "http://hooks.test/" + id, List.of(event), true,
        List.of(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 1L, null)), null, perSecond));
  }

  @Test
  void atMostTheLimitStartsPerSecondAndTheRestWaitInOrder() {
    limited("slow", "x", 2);
    t.directory.add("free", "y");
    DeliveryService s = service(WebhookOwnership.ALL);
    for (int i = 0; i < 5; i++) {
      t.dispatch(s, "x");
    }
    for (int i = 0; i < 5; i++) {
      t.dispatch(s, "y");
    }
    assertThat(t.endpoint.urls()).filteredOn(u -> u.endsWith("/slow")).hasSize(2);
    assertThat(t.endpoint.urls()).as("the unlimited webhook goes on").filteredOn(u -> u.endsWith("/free")).hasSize(5);
    t.endpoint.calls.forEach(c -> c.answer().complete(new DeliveryOutcome.Delivered(200, null)));
    assertThat(t.endpoint.urls()).as("answers free no more of this second").filteredOn(u -> u.endsWith("/slow")).hasSize(2);

    now.addAndGet(1_000); // the next second: the timer wakes the lane
    await().atMost(Duration.ofSeconds(10)).until(() -> t.endpoint.urls().stream().filter(u -> u.endsWith("/slow")).count() == 4);
    assertThat(t.endpoint.calls).filteredOn(c -> c.url().endsWith("/slow")).extracting(c -> c.headers().get("webhook-id"))
        .as("in order").containsExactly(ExecutionId.of("e1", "slow"), ExecutionId.of("e2", "slow"),
            ExecutionId.of("e3", "slow"), ExecutionId.of("e4", "slow"));
    assertThat(s.admitted()).as("two in flight, one waiting").isEqualTo(3);
  }

  @Test
  void aRateLimitedWebhookThisInstanceDoesNotOwnIsHandedOver() {
    limited("elsewhere", "x", 2);
    t.directory.add("free", "x");
    DeliveryService s = service(webhookId -> false);
    DeliveryServiceTest.Completion c = t.dispatch(s, "x");

    assertThat(t.endpoint.urls()).as("only the unlimited webhook is called here").containsExactly("http://hooks.test/free");
    assertThat(t.log.parkReasons).containsExactly("RATE_LIMITED");
    assertThat(t.log.of(RetryRequest.class)).singleElement().satisfies(r -> {
      assertThat(r.getWebhookId()).isEqualTo("elsewhere");
      assertThat(r.getAttempt()).isEqualTo(1);
      assertThat(r.getDueAt()).isEqualTo(now.get());
    });
    t.endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(c.done).isTrue();
  }
}
