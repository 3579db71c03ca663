package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Event;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.dispatcher.adapter.in.kafka.InputRecords;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.ExecutionId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A redelivery that arrives before its due time (the retry-scheduler's release lead) is attempted
 * at that time, on the service's own timer, and its input record is not complete until then.
 */
class EarlyRedeliveryServiceTest {

  private final DeliveryServiceTest fixtures = new DeliveryServiceTest();

  private RetryRequest retry(String webhookId, long dueAt) {
    Event e = fixtures.event("x");
    return RetryRequest.newBuilder().setExecutionId(ExecutionId.of(e.getId(), webhookId)).setWebhookId(webhookId)
        .setAttempt(2).setDueAt(dueAt).setTrigger(Trigger.SCHEDULED).setFirstAttemptAt(100L).setLastAttemptAt(200L)
        .setLastHttpStatus(503).setLastErrorCode("HTTP_ERROR").setLastErrorMessage("HTTP 503").setEvent(e).build();
  }

  @Test
  void anEarlyRedeliveryStartsAtItsDueTimeAndItsRecordCompletesAfterItsAttempt() {
    fixtures.directory.add("a", "x");
    DeliveryService s = fixtures.service(10, 2);
    long dueAt = System.currentTimeMillis() + 300;
    AtomicLong calledAt = new AtomicLong();
    DeliveryServiceTest.Completion c = new DeliveryServiceTest.Completion();

    s.redeliverWhenDue(InputRecords.execution(retry("a", dueAt)), dueAt, null, c.record);
    c.record.release();

    assertThat(s.heldUntilDue()).isEqualTo(1);
    assertThat(c.done).as("held: not complete, so not committed").isFalse();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      if (!fixtures.endpoint.calls.isEmpty()) {
        calledAt.compareAndSet(0, System.currentTimeMillis());
        return true;
      }
      return false;
    });
    assertThat(calledAt.get()).isGreaterThanOrEqualTo(dueAt);
    assertThat(s.heldUntilDue()).isZero();
    assertThat(c.done).isFalse();
    fixtures.endpoint.calls.get(0).answer().complete(new DeliveryOutcome.Delivered(200, null));
    assertThat(c.done).isTrue();
  }

  @Test
  void aRedeliveryDueAlreadyStartsAtOnce() {
    fixtures.directory.add("a", "x");
    DeliveryService s = fixtures.service(10, 2);
    DeliveryServiceTest.Completion c = new DeliveryServiceTest.Completion();

    s.redeliverWhenDue(InputRecords.execution(retry("a", 1L)), 1L, null, c.record);
    c.record.release();

    assertThat(fixtures.endpoint.calls).hasSize(1);
    assertThat(s.heldUntilDue()).isZero();
  }

  @Test
  void aHeldRedeliveryWhosePartitionWasRevokedIsDroppedAndOneHeldAtStopStaysIncomplete() {
    fixtures.directory.add("a", "x");
    DeliveryService s = fixtures.service(10, 2);
    AtomicBoolean revoked = new AtomicBoolean();
    AtomicBoolean dropped = new AtomicBoolean();
    PendingRecord moved = new PendingRecord(() -> dropped.set(true), revoked::get);
    long soon = System.currentTimeMillis() + 200;
    s.redeliverWhenDue(InputRecords.execution(retry("a", soon)), soon, null, moved);
    moved.release();
    revoked.set(true);
    DeliveryServiceTest.Completion atStop = new DeliveryServiceTest.Completion();
    long later = System.currentTimeMillis() + 60_000;
    s.redeliverWhenDue(InputRecords.execution(retry("a", later)), later, null, atStop.record);
    atStop.record.release();

    await().atMost(Duration.ofSeconds(30)).until(() -> s.heldUntilDue() == 1);
    s.stop();

    assertThat(fixtures.endpoint.calls).as("neither was attempted").isEmpty();
    assertThat(dropped).as("its new owner reads it again; nothing here waits for it").isTrue();
    assertThat(atStop.done).as("not committed: read again after a restart").isFalse();
  }
}
