package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.adapter.in.kafka.InputRecords;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.Webhook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordered delivery through the real engine with the in-memory ports of {@link DeliveryServiceTest}:
 * only the head of a key is sent, a failing head blocks its key (not the others) until its own
 * redelivery, a stale redelivery is dropped, a dead letter lets the next go, and the log's done
 * position never passes an execution that has not ended.
 */
class OrderedDeliveryTest {

  private final DeliveryServiceTest fixtures = new DeliveryServiceTest();
  private DeliveryService service;
  private OrderedDelivery ordered;

  @BeforeEach
  void orderedWebhook() {
    fixtures.directory.webhooks.put("w", new Webhook("w", "zylker", "http://hooks.test/w", List.of("order.created"), true,
        List.of(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 1L, null)), null, null, Map.of(),
        Webhook.KEY_ORDERING));
    service = fixtures.service(8, 8);
    ordered = service.ordered();
    ordered.assigned(0);
  }

  private Execution execution() {
    return Execution.first(InputRecords.event(fixtures.event("order.created")), "w");
  }

  private List<DeliveryServiceTest.Call> calls() {
    return fixtures.endpoint.calls;
  }

  private void answer(int call, int status) {
    DeliveryOutcome outcome = status < 300 ? new DeliveryOutcome.Delivered(status, null)
        : new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, status, "HTTP " + status, null);
    calls().get(call).answer().complete(outcome);
  }

  private List<RetryRequest> retries() {
    return fixtures.log.of(RetryRequest.class);
  }

  /** Feeds the retry request back as the retry scheduler would; returns whether its record completed. */
  private boolean redeliver(RetryRequest request) {
    DeliveryServiceTest.Completion c = new DeliveryServiceTest.Completion();
    service.redeliverWhenDue(InputRecords.execution(request), 0, null, c.record);
    c.record.release();
    return c.done.get();
  }

  private void awaitCalls(int n) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(calls()).hasSize(n));
  }

  @Test
  void aFailingHeadHoldsBackItsKeyOnlyUntilItsOwnRedeliveryGetsThrough() {
    Execution first = execution();
    Execution second = execution();
    Execution other = execution();
    ordered.read(0, 10, "k1", first);
    ordered.read(0, 11, "k1", second);
    ordered.read(0, 12, "k2", other);
    assertThat(calls()).hasSize(2); // the heads of k1 and k2

    answer(0, 500);
    answer(1, 200);
    assertThat(retries()).singleElement().satisfies(r -> {
      assertThat(r.getExecutionId()).isEqualTo(first.id());
      assertThat(r.getOrderedOffset()).isEqualTo(10L);
    });
    assertThat(calls()).as("the second of k1 waits for the first's retry").hasSize(2);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(10));

    RetryRequest retry = retries().get(0);
    redeliver(retry);
    assertThat(calls()).hasSize(3);
    assertThat(redeliver(retry)).as("a stale copy is dropped and done").isTrue();
    assertThat(calls()).hasSize(3);
    assertThat(ordered.staleRedeliveries()).isEqualTo(1);

    answer(2, 200);
    awaitCalls(4);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(11));
    answer(3, 200);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> ordered.donePosition(0).equals(OptionalLong.of(13)) && ordered.held() == 0);
    assertThat(calls().get(3).headers().get("webhook-id")).isEqualTo(second.id());
  }

  @Test
  void aDeadLetteredHeadLetsTheNextOneGo() {
    Execution first = execution();
    ordered.read(0, 0, "k", first);
    ordered.read(0, 1, "k", execution());
    for (int attempt = 0; attempt < 3; attempt++) {
      answer(attempt, 500);
      assertThat(calls()).hasSize(attempt + 1);
      redeliver(retries().get(attempt));
    }
    answer(3, 500); // the last retry fails too: dead-lettered
    assertThat(fixtures.log.of(FailedExecution.class)).singleElement()
        .satisfies(f -> assertThat(f.getExecutionId()).isEqualTo(first.id()));
    awaitCalls(5);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void theNextOneStartsOnlyOnceTheHeadsOutcomeIsWritten() {
    fixtures.log.autoAck = false;
    ordered.read(0, 0, "k", execution());
    ordered.read(0, 1, "k", execution());
    answer(0, 200);
    assertThat(calls()).hasSize(1);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(0));
    fixtures.log.acks.forEach(a -> a.complete(null));
    awaitCalls(2);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void anExecutionAppendedTwiceIsSentOnce() {
    Execution e = execution();
    ordered.read(0, 0, "k", e);
    ordered.read(0, 1, "k", e);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(0));
    answer(0, 200);
    assertThat(ordered.donePosition(0)).isEqualTo(OptionalLong.of(2));
    assertThat(calls()).hasSize(1);
  }

  @Test
  void aRevokedPartitionsLanesAreDropped() {
    ordered.read(0, 0, "k", execution());
    ordered.read(0, 1, "k", execution());
    ordered.revoked(0);
    answer(0, 200);
    assertThat(ordered.held()).isZero();
    assertThat(ordered.donePosition(0)).isEmpty();
    assertThat(calls()).hasSize(1);
  }
}
