package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.hang;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Webhook;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Time and commits: the 5 s deadline, isolation of a hanging endpoint from healthy ones, and the
 * commit point held by an unfinished record.
 */
@IntegrationTest
class DispatcherTimingTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  static RunningDispatcher hookline;

  @BeforeAll
  static void start() {
    hookline = new RunningDispatcher(KAFKA.broker(), Map.of()); // delivery timeout left at its default, 5s
  }

  @AfterAll
  static void stop() {
    hookline.close();
  }

  @Test
  void aReceiverThatNeverAnswersTimesOutAtFiveSeconds() {
    Webhook w = hookline.createWebhook("/never", "never.answered");
    hookline.receiver.answer("/never", hang());

    hookline.publishJson(2, RunningDispatcher.json("never.answered"));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), Duration.ofSeconds(15));
    assertThat(a.getStatus()).isEqualTo(AttemptStatus.TIMEOUT);
    assertThat(a.getErrorCode()).isEqualTo("TIMEOUT");
    assertThat(a.getHttpStatus()).isNull();
    assertThat(a.getDurationMs()).isBetween(5000L, 5800L);
    assertThat(hookline.retries.awaitOne(x -> x.getWebhookId().equals(w.getId()), Duration.ofSeconds(5)).getLastErrorCode())
        .isEqualTo("TIMEOUT");
  }

  @Test
  void aHangingEndpointDelaysNeitherHealthyDeliveriesNorLetsTheCommitPassIt() {
    Webhook slow = hookline.createWebhook("/hang", "slow.thing");
    Webhook fine = hookline.createWebhook("/fine", "fine.thing");
    hookline.receiver.answer("/hang", hang());

    RecordMetadata stuck = hookline.publishJson(0, RunningDispatcher.json("slow.thing"));
    hookline.receiver.awaitRequests("/hang", 1, Duration.ofSeconds(10));
    Instant hangStarted = Instant.now();
    hookline.publishJson(0, RunningDispatcher.json("fine.thing"));
    RecordMetadata last = hookline.publishJson(0, RunningDispatcher.json("fine.thing"));

    // Healthy deliveries on the same partition go through at once while the other request hangs.
    List<WebhookReceiver.Request> delivered = hookline.receiver.awaitRequests("/fine", 2, Duration.ofSeconds(2));
    assertThat(delivered).allSatisfy(r -> assertThat(Duration.between(hangStarted, r.receivedAt())).isLessThan(Duration.ofSeconds(2)));
    assertThat(hookline.attempts.await(x -> x.getWebhookId().equals(fine.getId()), 2, Duration.ofSeconds(2)))
        .allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT));

    // Their outcomes are durable, yet the commit point stays on the record still in progress.
    await().atMost(Duration.ofSeconds(2)).until(() -> hookline.committed(0) == stuck.offset());
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> hookline.committed(0) == stuck.offset());
    assertThat(hookline.attemptsOf(slow.getId())).isEmpty();

    // Once the hanging request times out and its outcome is written, the commit moves past all three.
    assertThat(hookline.attempts.awaitOne(x -> x.getWebhookId().equals(slow.getId()), Duration.ofSeconds(8)).getStatus())
        .isEqualTo(AttemptStatus.TIMEOUT);
    await().atMost(Duration.ofSeconds(5)).until(() -> hookline.committed(0) > last.offset());
  }
}
