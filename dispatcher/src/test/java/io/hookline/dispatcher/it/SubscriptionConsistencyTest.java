package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Event;
import io.hookline.avro.EventType;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.avro.Webhook;
import io.hookline.dispatcher.application.SubscriptionGate;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription change confirmed before an event is published applies to that event: each event
 * here is published the moment its webhook write and the subscription markers after it are
 * acknowledged by the broker (as the API's 201 is), without waiting for the dispatcher to have read
 * the change. Each change comes right after a
 * burst of other subscription changes (a busy webhooks topic), so the dispatcher's copy of the
 * webhooks is behind when the event arrives, as it is in production under load. The same holds for
 * an event type's schema, written behind a burst of other event types.
 */
@IntegrationTest
class SubscriptionConsistencyTest extends OneDispatcherPerClass {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionConsistencyTest.class);
  private static final int ROUNDS = 20;
  private static final int BUSY_CHANGES = 1000;

  @AfterAll
  static void logGateHolds() {
    SubscriptionGate.Holds h = hookline.dispatcher.subscriptionGateHolds();
    LOG.info("Subscription gate, whole class: {} batches held, {} us on average, {} us at most", h.batches(),
        h.mean().toNanos() / 1000, h.max().toNanos() / 1000);
  }

  /**
   * Writes {@code w} (or its deletion when null) after a burst of changes to other webhooks, and
   * returns once the broker acknowledged it and the markers after it, as the API answers.
   */
  private static void changeBehindBusyTopic(String id, Webhook w) {
    var topic = hookline.topics.webhooks();
    for (int i = 0; i < BUSY_CHANGES; i++) {
      Webhook other = RunningDispatcher.webhook("http://127.0.0.1:9/busy", busyEvents(i));
      other.setId("wh_busy_" + (i % 100));
      other.setPortal("busy-portal");
      hookline.producer.send(new ProducerRecord<>(topic.name(), other.getId().getBytes(StandardCharsets.UTF_8),
          topic.valueSerde().serializer().serialize(topic.name(), other)));
    }
    hookline.send(topic, id, w);
    hookline.markSubscriptions();
  }

  private static String[] busyEvents(int i) {
    String[] events = new String[20];
    for (int e = 0; e < events.length; e++) {
      events[e] = "busy.event." + ((i + e) % 40);
    }
    return events;
  }

  /** Waits until the dispatcher committed past every record in {@code published}: each is fully handled. */
  private static void awaitHandled(List<RecordMetadata> published) {
    for (RecordMetadata m : published) {
      await().atMost(WAIT).until(() -> hookline.committed(m.topic(), m.partition()) > m.offset());
    }
  }

  @Test
  void anEventPublishedRightAfterItsWebhookWasCreatedIsDelivered() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = "created.now." + i;
      String path = "/created-" + i;
      Webhook w = RunningDispatcher.webhook(hookline.receiver.url(path), name);
      changeBehindBusyTopic(w.getId(), w);
      hookline.publishJson(null, RunningDispatcher.json(name));
      paths.add(path);
    }

    for (String path : paths) {
      assertThat(hookline.receiver.awaitRequests(path, 1, WAIT)).as("deliveries to %s", path).hasSize(1);
    }
  }

  @Test
  void whileSubscriptionsDoNotChangeNoInputWaitsForALookUp() {
    hookline.createWebhook("/steady", "steady.now");
    hookline.publishJson(null, RunningDispatcher.json("steady.now"));
    hookline.receiver.awaitRequests("/steady", 1, WAIT); // the consumer group has its partitions
    SubscriptionGate.Holds before = hookline.dispatcher.subscriptionGateHolds();

    int events = 50;
    for (int i = 0; i < events; i++) {
      hookline.publishJson(null, RunningDispatcher.json("steady.now"));
    }

    hookline.receiver.awaitRequests("/steady", 1 + events, WAIT);
    SubscriptionGate.Holds after = hookline.dispatcher.subscriptionGateHolds();
    long batches = after.batches() - before.batches();
    Duration mean = after.total().minus(before.total()).dividedBy(batches);
    LOG.info("Subscription gate, no subscription changes: {} batches of {} events held {} us on average",
        batches, events, mean.toNanos() / 1000);
    assertThat(batches).isBetween(1L, (long) events);
    assertThat(after.lookups() - before.lookups()).as("look-ups without a subscription change").isZero();
    assertThat(mean).as("time input is held on its way to dispatch").isLessThan(Duration.ofMillis(250));
  }

  @Test
  void anEventPublishedRightAfterItsWebhookChangedUrlGoesToTheNewUrl() {
    List<RecordMetadata> published = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = "moved.now." + i;
      Webhook w = hookline.createWebhook("/old-" + i, name);
      w.setUrl(hookline.receiver.url("/new-" + i));
      changeBehindBusyTopic(w.getId(), w);
      published.add(hookline.publishJson(null, RunningDispatcher.json(name)));
    }

    awaitHandled(published);
    for (int i = 0; i < ROUNDS; i++) {
      assertThat(hookline.receiver.awaitRequests("/new-" + i, 1, WAIT)).hasSize(1);
      assertThat(hookline.receiver.requests("/old-" + i)).as("requests to the old URL of webhook %d", i).isEmpty();
    }
  }

  @Test
  void anEventPublishedRightAfterItsWebhookWasDeletedIsNotDelivered() {
    List<Webhook> deleted = new ArrayList<>();
    List<RecordMetadata> published = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = "deleted.now." + i;
      Webhook w = hookline.createWebhook("/deleted-" + i, name);
      changeBehindBusyTopic(w.getId(), null);
      published.add(hookline.publishJson(null, RunningDispatcher.json(name)));
      deleted.add(w);
    }

    awaitHandled(published);
    assertNothingHappenedTo(deleted, "/deleted-");
  }

  @Test
  void anEventPublishedRightAfterItsWebhookWasDisabledIsNotDelivered() {
    List<Webhook> disabled = new ArrayList<>();
    List<RecordMetadata> published = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = "disabled.now." + i;
      Webhook w = hookline.createWebhook("/disabled-" + i, name);
      w.setEnabled(false);
      changeBehindBusyTopic(w.getId(), w);
      published.add(hookline.publishJson(null, RunningDispatcher.json(name)));
      disabled.add(w);
    }

    awaitHandled(published);
    assertNothingHappenedTo(disabled, "/disabled-");
  }

  @Test
  void aManualRetryRequestedRightAfterItsWebhookWasDeletedDoesNotCallIt() {
    List<Webhook> deleted = new ArrayList<>();
    List<RecordMetadata> published = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      Webhook w = hookline.createWebhook("/retried-" + i, "retried.now." + i);
      Event e = RunningDispatcher.event("retried.now." + i);
      changeBehindBusyTopic(w.getId(), null);
      published.add(hookline.redeliver(manualRetry(w, e)));
      deleted.add(w);
    }

    awaitHandled(published);
    for (int i = 0; i < ROUNDS; i++) {
      String id = deleted.get(i).getId();
      assertThat(hookline.receiver.requests("/retried-" + i)).as("requests to deleted webhook %d", i).isEmpty();
      assertThat(hookline.attemptsOf(id)).isEmpty();
      FailedExecution f = hookline.deadLetters.awaitOne(x -> x.getWebhookId().equals(id), WAIT);
      assertThat(f.getErrorCode()).isEqualTo("WEBHOOK_DELETED");
    }
  }

  @Test
  void anEventPublishedRightAfterItsTypeGotASchemaIsValidatedAgainstIt() {
    List<Webhook> typed = new ArrayList<>();
    List<RecordMetadata> published = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = "typed.now." + i;
      typed.add(hookline.createWebhook("/typed-" + i, name));
      // The events of RunningDispatcher.json have no "required" property: the schema refuses them.
      typeBehindBusyTopic(name, "{\"type\": \"object\", \"required\": [\"required\"]}");
      published.add(hookline.publishJson(null, RunningDispatcher.json(name)));
    }

    awaitHandled(published);
    assertNothingHappenedTo(typed, "/typed-");
    for (int i = 0; i < ROUNDS; i++) {
      String quoted = "\"typed.now." + i + "\"";
      Predicate<byte[]> ofThisEvent = v -> new String(v, StandardCharsets.UTF_8).contains(quoted);
      await().atMost(WAIT).until(() -> !hookline.invalid.records(ofThisEvent).isEmpty());
      assertThat(hookline.invalid.records(ofThisEvent)).as("invalid records of the event %s", quoted)
          .extracting(r -> r.header(InvalidRecordHeaders.REASON)).containsExactly("SCHEMA_VALIDATION");
    }
  }

  /**
   * Writes the event type {@code name} of the test portal with {@code schema} after a burst of
   * other event types, and returns once the broker acknowledged it and the markers after it.
   */
  private static void typeBehindBusyTopic(String name, String schema) {
    var topic = hookline.topics.eventTypes();
    long now = System.currentTimeMillis();
    for (int i = 0; i < BUSY_CHANGES; i++) {
      String busy = "busy.type." + (i % 100);
      EventType other = new EventType("busy-portal", busy, "busy " + i, null, now, now);
      hookline.producer.send(new ProducerRecord<>(topic.name(),
          HooklineTopics.eventTypeKey("busy-portal", busy).getBytes(StandardCharsets.UTF_8),
          topic.valueSerde().serializer().serialize(topic.name(), other)));
    }
    hookline.send(topic, HooklineTopics.eventTypeKey(RunningDispatcher.PORTAL, name),
        new EventType(RunningDispatcher.PORTAL, name, null, schema, now, now));
    hookline.markSubscriptions();
  }

  /** No call, no attempt, no failed execution: for these webhooks the event did not exist. */
  private static void assertNothingHappenedTo(List<Webhook> webhooks, String pathPrefix) {
    for (int i = 0; i < webhooks.size(); i++) {
      String id = webhooks.get(i).getId();
      assertThat(hookline.receiver.requests(pathPrefix + i)).as("requests to %s%d", pathPrefix, i).isEmpty();
      assertThat(hookline.attemptsOf(id)).as("attempts of %s", id).isEmpty();
      assertThat(hookline.deadLetters.values(x -> x.getWebhookId().equals(id))).as("failed executions of %s", id).isEmpty();
    }
  }

  private static RetryRequest manualRetry(Webhook w, Event e) {
    long now = System.currentTimeMillis();
    return RetryRequest.newBuilder().setExecutionId(ExecutionId.of(e.getId(), w.getId())).setWebhookId(w.getId())
        .setAttempt(2).setDueAt(now).setTrigger(Trigger.MANUAL).setFirstAttemptAt(now - 3_000).setLastAttemptAt(now - 1_000)
        .setLastHttpStatus(500).setLastErrorCode("HTTP_ERROR").setLastErrorMessage("HTTP 500").setEvent(e).build();
  }
}
