package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Later attempts (retry requests come due, manual retries) and how executions end: failed after the
 * last retry, at once on 410 Gone, or without a call when the webhook was deleted or disabled.
 */
@IntegrationTest
class DispatcherRedeliveryTest extends OneDispatcherPerClass {



  static RetryRequest due(Webhook w, Event e, int attempt, Trigger trigger) {
    long now = System.currentTimeMillis();
    return RetryRequest.newBuilder().setExecutionId(ExecutionId.of(e.getId(), w.getId())).setWebhookId(w.getId())
        .setAttempt(attempt).setDueAt(now).setTrigger(trigger).setFirstAttemptAt(now - 3_000).setLastAttemptAt(now - 1_000)
        .setLastHttpStatus(500).setLastErrorCode("HTTP_ERROR").setLastErrorMessage("HTTP 500").setEvent(e).build();
  }

  /** Waits until the dispatcher group committed past {@code m} on the redeliveries topic. */
  static void awaitDone(RecordMetadata m) {
    await().atMost(WAIT).until(() -> hookline.committed(m.topic(), m.partition()) > m.offset());
  }

  @Test
  void aRedeliveryKeepsTheExecutionIdAndUsesTheWebhookAsItIsNow() {
    Webhook w = hookline.createWebhook("/before-move", "retry.ok");
    Event e = RunningDispatcher.event("retry.ok");
    w.setUrl(hookline.receiver.url("/after-move"));
    hookline.save(w);

    hookline.redeliver(due(w, e, 2, Trigger.SCHEDULED));

    WebhookReceiver.Request r = hookline.receiver.awaitRequests("/after-move", 1, WAIT).get(0);
    assertThat(r.header("webhook-id")).isEqualTo(ExecutionId.of(e.getId(), w.getId()));
    assertThat(r.bodyText()).isEqualTo(new String(EventCodec.toJson(e), StandardCharsets.UTF_8));
    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getAttempt()).isEqualTo(2);
    assertThat(a.getTrigger()).isEqualTo(Trigger.SCHEDULED);
    assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
    assertThat(a.getUrl()).isEqualTo(hookline.receiver.url("/after-move"));
    assertThat(hookline.receiver.requests("/before-move")).isEmpty();
  }

  @Test
  void aRedeliveryHandedOverBeforeItsDueTimeIsAttemptedAtItsDueTime() {
    Webhook w = hookline.createWebhook("/early", "retry.early");
    RetryRequest early = due(w, RunningDispatcher.event("retry.early"), 2, Trigger.SCHEDULED);
    long dueAt = System.currentTimeMillis() + 1_500;
    early.setDueAt(dueAt);

    RecordMetadata m = hookline.redeliver(early);

    WebhookReceiver.Request r = hookline.receiver.awaitRequests("/early", 1, WAIT).get(0);
    assertThat(r.receivedAt().toEpochMilli()).as("not before its due time").isGreaterThanOrEqualTo(dueAt);
    awaitDone(m);
  }

  @Test
  void whenTheLastRetryFailsTheExecutionIsDeadLetteredWithThreeRetries() {
    Webhook w = hookline.createWebhook("/still-down", "retry.last");
    hookline.receiver.answer("/still-down", status(503, "maintenance"));
    Event e = RunningDispatcher.event("retry.last");
    RetryRequest last = due(w, e, 4, Trigger.SCHEDULED);

    hookline.redeliver(last);

    FailedExecution f = hookline.deadLetters.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getAttempt()).isEqualTo(4);
    assertThat(a.getHttpStatus()).isEqualTo(503);
    assertThat(f.getState()).isEqualTo(FailedExecutionState.FAILED);
    assertThat(f.getExecutionId()).isEqualTo(last.getExecutionId());
    assertThat(f.getNumberOfRetries()).isEqualTo(3);
    assertThat(f.getLastHttpStatus()).isEqualTo(503);
    assertThat(f.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(f.getErrorMessage()).contains("503");
    assertThat(f.getFirstExecutionTime()).isEqualTo(last.getFirstAttemptAt());
    assertThat(f.getLastExecutionTime()).isEqualTo(a.getCreatedAt());
    assertThat(f.getUrl()).isEqualTo(w.getUrl());
    assertThat(f.getPortal()).isEqualTo(RunningDispatcher.PORTAL);
    assertThat(f.getEvent()).isEqualTo(e);
    assertThat(hookline.retries.values(x -> x.getWebhookId().equals(w.getId()))).isEmpty();
  }

  @Test
  void goneIsDeadLetteredAtOnceAndNotRetried() {
    Webhook w = hookline.createWebhook("/gone", "gone.event");
    hookline.receiver.answer("/gone", status(410));
    Event e = RunningDispatcher.event("gone.event");

    RecordMetadata m = hookline.publish(EventCodec.toAvro(e));

    FailedExecution f = hookline.deadLetters.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(f.getNumberOfRetries()).isZero();
    assertThat(f.getLastHttpStatus()).isEqualTo(410);
    assertThat(f.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(f.getErrorMessage()).contains("Gone").contains("not retried");
    awaitDone(m);
    assertThat(hookline.retries.values(x -> x.getWebhookId().equals(w.getId()))).isEmpty();
    assertThat(hookline.receiver.requests("/gone")).hasSize(1);
  }

  @Test
  void aRetryForADeletedWebhookEndsWithoutCallingIt() {
    Webhook w = hookline.createWebhook("/deleted", "deleted.event");
    hookline.deleteWebhook(w.getId());

    RecordMetadata m = hookline.redeliver(due(w, RunningDispatcher.event("deleted.event"), 2, Trigger.SCHEDULED));

    FailedExecution f = hookline.deadLetters.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(f.getErrorCode()).isEqualTo("WEBHOOK_DELETED");
    assertThat(f.getState()).isEqualTo(FailedExecutionState.FAILED);
    awaitDone(m);
    assertThat(hookline.receiver.requests("/deleted")).isEmpty();
    assertThat(hookline.attemptsOf(w.getId())).isEmpty();
  }

  @Test
  void aRetryForADisabledWebhookEndsWithoutCallingIt() {
    Webhook w = hookline.createWebhook("/disabled", "disabled.event");
    w.setEnabled(false);
    hookline.save(w);

    RecordMetadata m = hookline.redeliver(due(w, RunningDispatcher.event("disabled.event"), 3, Trigger.SCHEDULED));

    FailedExecution f = hookline.deadLetters.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(f.getErrorCode()).isEqualTo("WEBHOOK_DISABLED");
    assertThat(f.getUrl()).isEqualTo(w.getUrl());
    assertThat(f.getNumberOfRetries()).isEqualTo(1);
    awaitDone(m);
    assertThat(hookline.receiver.requests("/disabled")).isEmpty();
    assertThat(hookline.attemptsOf(w.getId())).isEmpty();
  }

  @Test
  void aManualRetryThatGetsThroughResolvesTheFailedExecution() {
    Webhook w = hookline.createWebhook("/manual", "manual.event");
    Event e = RunningDispatcher.event("manual.event");

    hookline.redeliver(due(w, e, 5, Trigger.MANUAL));

    FailedExecution f = hookline.deadLetters.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(f.getState()).isEqualTo(FailedExecutionState.RESOLVED);
    assertThat(f.getExecutionId()).isEqualTo(ExecutionId.of(e.getId(), w.getId()));
    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getTrigger()).isEqualTo(Trigger.MANUAL);
    assertThat(a.getAttempt()).isEqualTo(5);
  }

  @Test
  void anUndecodableRetryRequestIsKeptAsInvalid() {
    byte[] garbage = {1, 2, 3, 4};
    hookline.sendRaw(new ProducerRecord<>(hookline.topics.redeliveries().name(), "wh_x".getBytes(StandardCharsets.UTF_8), garbage));

    hookline.invalid.await(v -> Arrays.equals(v, garbage), 1, WAIT);
    var raw = hookline.invalid.records(v -> Arrays.equals(v, garbage)).get(0).raw();
    assertThat(new String(raw.headers().lastHeader(InvalidRecordHeaders.REASON).value(), StandardCharsets.UTF_8))
        .isEqualTo("UNDECODABLE_AVRO");
    assertThat(new String(raw.headers().lastHeader(InvalidRecordHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
        .isEqualTo(hookline.topics.redeliveries().name());
  }
}
