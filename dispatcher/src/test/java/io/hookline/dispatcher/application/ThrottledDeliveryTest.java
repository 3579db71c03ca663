package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hookline.avro.Attempt;
import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.Throttling;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receiver that asks for a pause gets it: the answered attempt is recorded as throttled and
 * parked for the same attempt (no retry used up), and the webhook's waiting and new executions are
 * parked, in order, until the pause ends; other webhooks go on.
 */
class ThrottledDeliveryTest {

  final DeliveryServiceTest t = new DeliveryServiceTest();

  DeliveryService service() {
    return new DeliveryService(t.directory, t.endpoint, new ContractEventBodies(), t.log,
        new RetryPolicy(RetrySchedule.parse("1s,1s,1s")), new DeliveryLimits(10, 1, 10_000, Duration.ofSeconds(5)),
        IsolationLimits.OFF, Clock.systemUTC(), t.fatal,
        SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "test"), Runnable::run, EndpointMonitor.off(),
        DeliveryMetrics.NONE, new Throttling(Duration.ofMinutes(5)), WebhookOwnership.ALL);
  }

  @Test
  void a429WithRetryAfterParksTheWebhooksExecutionsUntilThenWithoutUsingARetry() {
    t.directory.add("busy", "x");
    t.directory.add("other", "y");
    DeliveryService s = service();
    List<DeliveryServiceTest.Completion> done = List.of(t.dispatch(s, "x"), t.dispatch(s, "x"), t.dispatch(s, "x"));
    assertThat(t.endpoint.calls).hasSize(1);
    long before = System.currentTimeMillis();

    t.endpoint.calls.get(0).answer().complete(
        new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 429, "HTTP 429", null, "2"));
    DeliveryServiceTest.Completion later = t.dispatch(s, "x");
    t.dispatch(s, "y");

    assertThat(t.log.of(Attempt.class)).singleElement().satisfies(a -> {
      assertThat(a.getHttpStatus()).isEqualTo(429);
      assertThat(a.getAttempt()).isEqualTo(1);
      assertThat(a.getThrottledUntil()).isCloseTo(before + 2_000, within(1_000L));
      assertThat(a.getErrorMessage()).contains("throttled");
    });
    assertThat(t.log.parkReasons).containsExactly("THROTTLED", "THROTTLED", "THROTTLED", "THROTTLED");
    List<RetryRequest> parked = t.log.of(RetryRequest.class);
    assertThat(parked).extracting(RetryRequest::getAttempt).as("no retry used up").containsOnly(1);
    assertThat(parked).extracting(r -> r.getEvent().getId()).as("in order").containsExactly("e1", "e2", "e3", "e4");
    long until = t.log.of(Attempt.class).get(0).getThrottledUntil();
    assertThat(parked).extracting(RetryRequest::getDueAt).containsOnly(until);
    assertThat(t.endpoint.urls()).as("the other webhook goes on").containsExactly("http://hooks.test/busy",
        "http://hooks.test/other");
    assertThat(done).allSatisfy(c -> assertThat(c.done).isTrue());
    assertThat(later.done).isTrue();
    assertThat(s.admitted()).isEqualTo(1);
  }

  @Test
  void a503WithoutRetryAfterIsAnOrdinaryFailure() {
    t.directory.add("down", "x");
    DeliveryService s = service();
    t.dispatch(s, "x");
    t.dispatch(s, "x");

    t.endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 503, "HTTP 503", null));

    assertThat(t.log.parkReasons).isEmpty();
    assertThat(t.log.of(Attempt.class)).singleElement().satisfies(a -> assertThat(a.getThrottledUntil()).isNull());
    assertThat(t.log.of(RetryRequest.class)).singleElement().satisfies(r -> assertThat(r.getAttempt()).isEqualTo(2));
    assertThat(t.endpoint.calls).as("the next execution goes at once").hasSize(2);
  }
}
