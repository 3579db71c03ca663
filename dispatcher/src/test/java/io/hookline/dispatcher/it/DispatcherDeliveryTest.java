package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.closeConnection;
import static io.hookline.testing.WebhookReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Event;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.WebhookReceiver;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * First attempts end to end: events in (JSON and Avro), signed POSTs to real receivers, attempt
 * records, retry requests and invalid records out, with one dispatcher shared by the tests.
 */
@IntegrationTest
class DispatcherDeliveryTest extends OneDispatcherPerClass {



  private static void assertSignedBy(Webhook w, WebhookReceiver.Request r) {
    assertThatCode(() -> new com.standardwebhooks.Webhook(w.getSecrets().get(0).getSecret()).verify(r.bodyText(), r.headers()))
        .doesNotThrowAnyException();
  }

  @Test
  void jsonAndAvroEventsAreDeliveredAsSignedJsonAndRecordedAsSent() throws Exception {
    Webhook w = hookline.createWebhook("/ok", "conversation.operator.replied");

    RecordMetadata jsonAt = hookline.publishJson(null, RunningDispatcher.json("conversation.operator.replied"));
    Event avro = RunningDispatcher.event("conversation.operator.replied");
    hookline.publish(EventCodec.toAvro(avro));

    List<WebhookReceiver.Request> requests = hookline.receiver.awaitRequests("/ok", 2, WAIT);
    Event jsonEvent = EventCodec.decode(RunningDispatcher.json("conversation.operator.replied").getBytes(StandardCharsets.UTF_8),
        new EventCodec.Origin(jsonAt.topic(), jsonAt.partition(), jsonAt.offset(), jsonAt.timestamp()));
    String jsonBody = new String(EventCodec.toJson(jsonEvent), StandardCharsets.UTF_8);
    String avroBody = new String(EventCodec.toJson(avro), StandardCharsets.UTF_8);

    assertThat(requests).extracting(WebhookReceiver.Request::bodyText).containsExactlyInAnyOrder(jsonBody, avroBody);
    for (WebhookReceiver.Request r : requests) {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.header("content-type")).isEqualTo("application/json");
      Event sent = r.bodyText().equals(jsonBody) ? jsonEvent : avro;
      assertThat(r.header("webhook-id")).isEqualTo(ExecutionId.of(sent.getId(), w.getId()));
      assertThat(Long.parseLong(r.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
      assertSignedBy(w, r);
    }

    List<Attempt> attempts = hookline.attempts.await(a -> a.getWebhookId().equals(w.getId()), 2, WAIT);
    assertThat(attempts).allSatisfy(a -> {
      assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
      assertThat(a.getHttpStatus()).isEqualTo(200);
      assertThat(a.getAttempt()).isEqualTo(1);
      assertThat(a.getTrigger()).isEqualTo(Trigger.INITIAL);
      assertThat(a.getUrl()).isEqualTo(w.getUrl());
      assertThat(a.getPortal()).isEqualTo(RunningDispatcher.PORTAL);
      assertThat(a.getDeliveredAt()).isNotNull();
      assertThat(a.getErrorCode()).isNull();
    });
    assertThat(attempts).extracting(Attempt::getEventId).containsExactlyInAnyOrder(jsonEvent.getId(), avro.getId());
    assertThat(hookline.attempts.records(a -> a.getWebhookId().equals(w.getId())))
        .allSatisfy(r -> assertThat(r.key()).isEqualTo(w.getId()));
  }

  @Test
  void aServerErrorIsRecordedAndItsRetryScheduled() {
    Webhook w = hookline.createWebhook("/500", "order.created");
    hookline.receiver.answer("/500", status(500, "database down"));

    Event e = RunningDispatcher.event("order.created");
    hookline.publish(EventCodec.toAvro(e));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getStatus()).isEqualTo(AttemptStatus.ERROR);
    assertThat(a.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(a.getHttpStatus()).isEqualTo(500);
    assertThat(a.getResponseExcerpt()).isEqualTo("database down");
    assertThat(a.getDeliveredAt()).isNull();

    RetryRequest r = hookline.retries.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    long failedAt = a.getCreatedAt() + a.getDurationMs();
    assertThat(r.getAttempt()).isEqualTo(2);
    assertThat(r.getExecutionId()).isEqualTo(ExecutionId.of(e.getId(), w.getId()));
    assertThat(r.getDueAt()).isBetween(failedAt + 900, failedAt + 1500);
    assertThat(r.getTrigger()).isEqualTo(Trigger.SCHEDULED);
    assertThat(r.getLastHttpStatus()).isEqualTo(500);
    assertThat(r.getLastErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(r.getFirstAttemptAt()).isEqualTo(a.getCreatedAt());
    assertThat(r.getLastAttemptAt()).isEqualTo(a.getCreatedAt());
    assertThat(r.getEvent()).isEqualTo(e);
    assertThat(hookline.deadLetters.values(f -> f.getWebhookId().equals(w.getId()))).isEmpty();
  }

  @Test
  void aClosedConnectionIsAConnectionError() {
    Webhook w = hookline.createWebhook("/close", "chat.closed");
    hookline.receiver.answer("/close", closeConnection());

    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("chat.closed")));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getStatus()).isEqualTo(AttemptStatus.ERROR);
    assertThat(a.getErrorCode()).isEqualTo("CONNECTION_ERROR");
    assertThat(a.getHttpStatus()).isNull();
    assertThat(hookline.retries.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT).getLastErrorCode())
        .isEqualTo("CONNECTION_ERROR");
  }

  @Test
  void aRefusedConnectionIsAConnectionError() throws Exception {
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    Webhook w = hookline.save(RunningDispatcher.webhook("http://127.0.0.1:" + freePort + "/nobody", "chat.refused"));

    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("chat.refused")));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getErrorCode()).isEqualTo("CONNECTION_ERROR");
    assertThat(a.getErrorMessage()).containsIgnoringCase("refused");
  }

  @Test
  void aRedirectIsNotFollowed() {
    Webhook w = hookline.createWebhook("/moved", "chat.moved");
    hookline.receiver.answer("/moved", status(302));

    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("chat.moved")));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(a.getHttpStatus()).isEqualTo(302);
    assertThat(hookline.receiver.requests("/moved")).hasSize(1);
  }

  @Test
  void onlyTheStartOfAHugeResponseIsKept() {
    Webhook w = hookline.createWebhook("/chatty", "chat.chatty");
    hookline.receiver.answer("/chatty", status(200, "x".repeat(2_000_000)));

    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("chat.chatty")));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
    assertThat(a.getResponseExcerpt()).hasSize(4096).matches("x+");
  }

  @Test
  void aMalformedRecordIsKeptWithItsReasonAndTheNextEventIsStillDelivered() {
    Webhook w = hookline.createWebhook("/after-bad", "after.bad");
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);

    RecordMetadata bad = hookline.publish(0, garbage);
    hookline.publishJson(0, RunningDispatcher.json("after.bad"));

    var kept = hookline.invalid.await(v -> java.util.Arrays.equals(v, garbage), 1, WAIT);
    assertThat(kept).hasSize(1);
    var raw = hookline.invalid.records(v -> java.util.Arrays.equals(v, garbage)).get(0).raw();
    assertThat(header(raw.headers().lastHeader(InvalidRecordHeaders.REASON))).isEqualTo("MALFORMED_JSON");
    assertThat(header(raw.headers().lastHeader(InvalidRecordHeaders.MESSAGE))).isNotBlank();
    assertThat(header(raw.headers().lastHeader(InvalidRecordHeaders.SOURCE_TOPIC))).isEqualTo(hookline.topics.events().name());
    assertThat(header(raw.headers().lastHeader(InvalidRecordHeaders.SOURCE_PARTITION))).isEqualTo("0");
    assertThat(header(raw.headers().lastHeader(InvalidRecordHeaders.SOURCE_OFFSET))).isEqualTo(Long.toString(bad.offset()));
    assertThat(new String(raw.key(), StandardCharsets.UTF_8)).isEqualTo(RunningDispatcher.PORTAL);

    hookline.receiver.awaitRequests("/after-bad", 1, WAIT);
    assertThat(hookline.attempts.awaitOne(a -> a.getWebhookId().equals(w.getId()), WAIT).getStatus())
        .isEqualTo(AttemptStatus.SENT);
  }

  @Test
  void anEventWithoutARequiredFieldIsKeptAsInvalid() {
    byte[] noPortal = "{\"event\":\"a.b\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    hookline.publish(noPortal);
    hookline.invalid.await(v -> java.util.Arrays.equals(v, noPortal), 1, WAIT);
    var raw = hookline.invalid.records(v -> java.util.Arrays.equals(v, noPortal));
    assertThat(header(raw.get(0).raw().headers().lastHeader(InvalidRecordHeaders.REASON))).isEqualTo("MISSING_FIELD");
    assertThat(header(raw.get(0).raw().headers().lastHeader(InvalidRecordHeaders.MESSAGE))).contains("portal");
  }

  @Test
  void aWebhookSubscribedToOtherEventsReceivesNothing() {
    Webhook w = hookline.createWebhook("/other", "ticket.created");

    RecordMetadata m = hookline.publishJson(1, RunningDispatcher.json("ticket.deleted"));

    // The group committed past the record: the dispatcher is done with it.
    await().atMost(WAIT).until(() -> hookline.committed(1) > m.offset());
    assertThat(hookline.receiver.requests("/other")).isEmpty();
    assertThat(hookline.attemptsOf(w.getId())).isEmpty();
  }

  @Test
  void aWebhookCreatedAfterStartIsUsedForTheNextEventWithinASecond() {
    Webhook w = RunningDispatcher.webhook(hookline.receiver.url("/late"), "late.event");
    Instant created = Instant.now();
    hookline.putWebhook(w);

    // Keep publishing until one is delivered: the first event after the change takes effect.
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
      hookline.publishJson(2, RunningDispatcher.json("late.event"));
      return !hookline.receiver.requests("/late").isEmpty();
    });
    assertThat(Duration.between(created, hookline.receiver.requests("/late").get(0).receivedAt())).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aRotatedSecretAndItsPredecessorBothSignDuringTheGracePeriod() {
    Webhook w = RunningDispatcher.webhook(hookline.receiver.url("/rotated"), "rotated.event");
    long now = System.currentTimeMillis();
    String older = w.getSecrets().get(0).getSecret();
    String newer = RunningDispatcher.newSecret();
    w.setSecrets(List.of(new io.hookline.avro.SigningSecret(newer, now, null),
        new io.hookline.avro.SigningSecret(older, now - 10_000, now + 3_600_000)));
    hookline.save(w);

    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("rotated.event")));

    WebhookReceiver.Request r = hookline.receiver.awaitRequests("/rotated", 1, WAIT).get(0);
    assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
    for (String secret : List.of(newer, older)) {
      assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), r.headers())).doesNotThrowAnyException();
    }
  }

  private static String header(Header h) {
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
