package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Event;
import io.hookline.dispatcher.adapter.in.kafka.InputRecords;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.application.DeliveryServiceTest.Completion;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.EndpointLifecycle;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.OperationalEvent;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.OperationalEventType;
import io.hookline.schemas.RetrySchedule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The delivery engine with an {@link EndpointMonitor}: breaker transitions, dead letters and the
 * endpoint lifecycle raise the right events and webhook changes, and an input record waits for the
 * writes its attempt caused. Endpoint, log, events and webhook store are in memory; the clock is moved by hand.
 */
class EndpointMonitorTest {

  final DeliveryServiceTest.Endpoint endpoint = new DeliveryServiceTest.Endpoint();
  final DeliveryServiceTest.Log log = new DeliveryServiceTest.Log();
  final DeliveryServiceTest.Directory directory = new DeliveryServiceTest.Directory();
  final DeliveryIsolationTest.MovableClock clock = new DeliveryIsolationTest.MovableClock();
  final FatalFailure fatal = new FatalFailure();
  final List<OperationalEvent> events = new CopyOnWriteArrayList<>();
  final List<String> disabled = new CopyOnWriteArrayList<>();
  final List<Long> streaks = new CopyOnWriteArrayList<>();
  final CompletableFuture<Boolean> disableWritten = new CompletableFuture<>();
  int eventSeq;

  final WebhookStates states = new WebhookStates() {
    @Override
    public CompletableFuture<Boolean> disable(String webhookId, String reason, long now) {
      disabled.add(webhookId + ": " + reason);
      return disableWritten;
    }

    @Override
    public CompletableFuture<Void> failingSince(String webhookId, Long since, long now) {
      streaks.add(since);
      return CompletableFuture.completedFuture(null);
    }
  };

  DeliveryService service(Duration disableAfter) {
    EndpointMonitor monitor = new EndpointMonitor(new EndpointLifecycle(disableAfter, 100), e -> {
      events.add(e);
      return CompletableFuture.completedFuture(null);
    }, states, directory, Runnable::run);
    return new DeliveryService(directory, endpoint, new ContractEventBodies(), log,
        new RetryPolicy(RetrySchedule.parse("1s")), new DeliveryLimits(100, 1, 10_000, Duration.ofSeconds(5)),
        new IsolationLimits(2, Duration.ofMillis(1_000), 1_000), clock, fatal,
        SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "test"), Runnable::run, monitor);
  }

  Completion dispatch(DeliveryService s) {
    Completion c = new Completion();
    s.dispatch(InputRecords.event(Event.newBuilder().setId("e" + (++eventSeq)).setPortal("zylker").setEvent("d")
        .setEventTime(1L).setPayload("{}").build()), c.record);
    c.record.release();
    return c;
  }

  /** A webhook whose endpoint answered 410 to its first execution. */
  Completion answeredGone() {
    directory.add("w", "d");
    Completion c = dispatch(service(Duration.ofDays(5)));
    endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 410, "HTTP 410", null));
    return c;
  }

  List<OperationalEventType> types() {
    return events.stream().map(OperationalEvent::type).toList();
  }

  @Test
  void aBreakerOpeningFromClosedSaysFailingOnceAndClosingSaysRecovered() {
    directory.add("w", "d");
    DeliveryService s = service(Duration.ofDays(5));
    dispatch(s);
    dispatch(s);
    endpoint.calls.get(0).answer().complete(DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "timed out"));
    endpoint.calls.get(1).answer().complete(DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "refused"));

    assertThat(types()).containsExactly(OperationalEventType.ENDPOINT_FAILING);
    assertThat(events.get(0).consecutiveFailures()).isEqualTo(2);
    assertThat(events.get(0).url()).isEqualTo("http://hooks.test/w");

    clock.millis.addAndGet(1_000);
    dispatch(s); // the probe, which fails: open again, not failing again
    endpoint.calls.get(2).answer().complete(DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "timed out"));
    assertThat(types()).containsExactly(OperationalEventType.ENDPOINT_FAILING);

    clock.millis.addAndGet(1_000);
    dispatch(s);
    endpoint.calls.get(3).answer().complete(new DeliveryOutcome.Delivered(200, null));

    assertThat(types()).containsExactly(OperationalEventType.ENDPOINT_FAILING, OperationalEventType.ENDPOINT_RECOVERED);
    assertThat(fatal.get()).isNull();
  }

  @Test
  void a410DisablesOnceThenSaysSoAndTheRecordWaitsForIt() {
    Completion c = answeredGone();

    assertThat(disabled).containsExactly("w: the endpoint answered 410 Gone");
    assertThat(types()).containsExactly(OperationalEventType.EXECUTION_EXHAUSTED);
    assertThat(c.done).as("waits for the webhook write").isFalse();

    disableWritten.complete(true);

    assertThat(c.done).isTrue();
    assertThat(types()).containsExactly(OperationalEventType.EXECUTION_EXHAUSTED, OperationalEventType.ENDPOINT_DISABLED);
    OperationalEvent e = events.get(1);
    assertThat(e.httpStatus()).isEqualTo(410);
    assertThat(e.failedExecutionId()).isEqualTo(events.get(0).failedExecutionId()).isNotNull();
    assertThat(e.enabled()).isFalse();
  }

  @Test
  void aWebhookWriteThatFailsIsLoggedNeverFatal() {
    Completion c = answeredGone();

    disableWritten.completeExceptionally(new IllegalStateException("broker down"));

    assertThat(c.done).isTrue();
    assertThat(fatal.get()).isNull();
    assertThat(types()).doesNotContain(OperationalEventType.ENDPOINT_DISABLED);
  }

  @Test
  void failingForTheWholePeriodDisablesAfterStoringTheStreak() {
    directory.add("w", "d");
    DeliveryService s = service(Duration.ofSeconds(100));
    long start = clock.millis();
    DeliveryOutcome failed = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null);
    dispatch(s);
    endpoint.calls.get(0).answer().complete(failed);
    clock.millis.addAndGet(10_000);
    dispatch(s);
    endpoint.calls.get(1).answer().complete(failed);
    assertThat(streaks).containsExactly(start);
    clock.millis.addAndGet(90_000);
    disableWritten.complete(true);

    dispatch(s);
    endpoint.calls.get(2).answer().complete(failed);

    assertThat(disabled).singleElement().asString().contains("every delivery failed since");
    assertThat(events).filteredOn(e -> e.type() == OperationalEventType.ENDPOINT_DISABLED).singleElement()
        .satisfies(e -> assertThat(e.failingSince()).isEqualTo(start));
  }

  @Test
  void anExhaustedExecutionCarriesItsRetriesAndAFailureToBeRetriedSaysNothing() {
    directory.add("w", "d");
    DeliveryService s = service(Duration.ZERO);
    DeliveryOutcome failed = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null);
    dispatch(s);
    endpoint.calls.get(0).answer().complete(failed);
    assertThat(events).as("retried in 1s").isEmpty();
    io.hookline.avro.RetryRequest retry = log.written.stream()
        .filter(io.hookline.avro.RetryRequest.class::isInstance).map(io.hookline.avro.RetryRequest.class::cast)
        .findFirst().orElseThrow();

    Completion c = new Completion();
    s.redeliver(InputRecords.execution(retry), false, c.record);
    c.record.release();
    endpoint.calls.get(1).answer().complete(failed);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(OperationalEventType.EXECUTION_EXHAUSTED);
      assertThat(e.failedExecutionId()).isEqualTo(retry.getExecutionId());
      assertThat(e.numberOfRetries()).isEqualTo(1);
      assertThat(e.httpStatus()).isEqualTo(500);
      assertThat(e.errorCode()).isEqualTo("HTTP_ERROR");
    });
    assertThat(c.done).isTrue();
    assertThat(disabled).isEmpty();
    assertThat(streaks).isEmpty();
  }
}
