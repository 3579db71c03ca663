package io.hookline.queryapi.replay;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.ListedFailures;
import io.hookline.queryapi.replay.kafka.KafkaRedeliveryQueue;
import io.hookline.queryapi.webhooks.WebhookNotFoundException;
import io.hookline.queryapi.webhooks.WebhookChange;
import io.hookline.queryapi.webhooks.WebhookRepository;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retry now and bulk replay as use cases, with an in-memory view, queue and webhooks (no broker). */
class ExecutionRetryServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final long T = NOW.toEpochMilli() - 60_000;

  static final class Webhooks implements WebhookRepository {
    final Map<String, Webhook> byId = new HashMap<>();

    @Override
    public Optional<Webhook> find(String id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<Webhook> findByPortal(String portal) {
      return byId.values().stream().filter(w -> w.belongsTo(portal)).toList();
    }

    void save(Webhook webhook) {
      byId.put(webhook.id(), webhook);
    }

    @Override
    public synchronized <T> T change(String id, WebhookChange<T> change) {
      WebhookChange.Outcome<T> outcome = change.decide(find(id));
      if (outcome.write() && outcome.next() == null) {
        byId.remove(id);
      } else if (outcome.write()) {
        byId.put(id, outcome.next());
      }
      return outcome.answer();
    }

    @Override
    public boolean isReady() {
      return true;
    }
  }

  final ListedFailures view = new ListedFailures();
  final Webhooks webhooks = new Webhooks();
  final List<List<RetryRequest>> queued = new ArrayList<>();
  final ExecutionRetryService service;

  ExecutionRetryServiceTest() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    for (String id : List.of("w1", "w2")) {
      webhooks.save(Webhook.create(id, "zylker", "https://example.com/" + id, List.of("conversation.created"), true,
          SigningSecret.generate(new SecureRandom(), NOW), NOW));
    }
    service = new ExecutionRetryService(new WebhookService(webhooks, clock, Duration.ofHours(24)), view,
        resends -> queued.add(resends.stream().map(KafkaRedeliveryQueue::retryRequest).toList()), clock);
  }

  @Test
  void retryNowQueuesTheNextManualAttemptOfTheSameExecutionDueNow() {
    FailedExecution failure = failed("zylker", "w1", "e1", T);
    view.add(failure);

    RetryRequest r = KafkaRedeliveryQueue.retryRequest(service.retry("zylker", "w1", "e1"));

    assertThat(queued).containsExactly(List.of(r));
    assertThat(r.getExecutionId()).isEqualTo("e1");
    assertThat(r.getWebhookId()).isEqualTo("w1");
    assertThat(r.getTrigger()).isEqualTo(Trigger.MANUAL);
    assertThat(r.getAttempt()).as("3 retries: 4 attempts made").isEqualTo(5);
    assertThat(r.getDueAt()).isEqualTo(NOW.toEpochMilli());
    assertThat(r.getFirstAttemptAt()).isEqualTo(failure.getFirstExecutionTime());
    assertThat(r.getLastAttemptAt()).isEqualTo(T);
    assertThat(r.getLastHttpStatus()).isEqualTo(400);
    assertThat(r.getLastErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(r.getLastErrorMessage()).isEqualTo("HTTP 400");
    assertThat(r.getEvent()).isEqualTo(failure.getEvent());
  }

  @Test
  void nothingIsQueuedForAnUnknownExecutionOrAnotherPortalsWebhook() {
    view.add(failed("zylker", "w2", "e2", T));

    assertThatThrownBy(() -> service.retry("zylker", "w1", "e2")).isInstanceOf(ExecutionNotFoundException.class);
    assertThatThrownBy(() -> service.retry("acme", "w2", "e2")).isInstanceOf(WebhookNotFoundException.class);
    assertThatThrownBy(() -> service.retryMatching("acme", filter("w2", 0, Long.MAX_VALUE)))
        .isInstanceOf(WebhookNotFoundException.class);
    assertThat(queued).isEmpty();
  }

  @Test
  void bulkReplayQueuesTheMatchingExecutionsOldestFirstInOneCall() {
    view.add(failed("zylker", "w1", "newest", T));
    view.add(failed("zylker", "w1", "middle", T - 1_000));
    view.add(failed("zylker", "w1", "oldest", T - 2_000));
    view.add(failed("zylker", "w1", "too-old", T - 3_000));
    view.add(failed("zylker", "w2", "other-webhook", T - 1_000));

    ExecutionRetryService.Resent resent = service.retryMatching("zylker", filter("w1", T - 2_000, T));

    assertThat(resent.nextToTime()).isEmpty();
    assertThat(queued).singleElement().satisfies(batch -> assertThat(batch)
        .extracting(RetryRequest::getExecutionId).containsExactly("oldest", "middle", "newest"));
    assertThat(service.retryMatching("zylker", filter("w1", T + 1, Long.MAX_VALUE)).requests()).isEmpty();
    assertThat(queued).as("no write for an empty match").hasSize(1);
  }

  @Test
  void moreThanABatchIsCutBeforeATimeSoThatToTimeSelectsExactlyTheRest() {
    int max = ExecutionRetryService.MAX_BATCH;
    for (int i = 0; i < max + 5; i++) {
      // i = max - 2, max - 1 and max share one time: the cut moves before all three.
      long time = T - Math.min(i, max - 2);
      view.add(failed("zylker", "w1", "e" + i, time));
    }

    ExecutionRetryService.Resent first = service.retryMatching("zylker", filter("w1", 0, Long.MAX_VALUE));

    assertThat(first.requests()).hasSize(max - 2);
    assertThat(first.nextToTime()).hasValue(T - (max - 2));
    assertThat(first.requests())
        .allSatisfy(r -> assertThat(r.failed().lastExecutionTime()).isGreaterThan(T - (max - 2)));
    ExecutionRetryService.Resent rest =
        service.retryMatching("zylker", filter("w1", 0, first.nextToTime().getAsLong()));
    assertThat(rest.requests()).hasSize(7);
    assertThat(rest.nextToTime()).isEmpty();
  }

  @Test
  void moreThanABatchAtOneSingleTimeIsRefusedNamingEvents() {
    for (int i = 0; i <= ExecutionRetryService.MAX_BATCH; i++) {
      view.add(failed("zylker", "w1", "e" + i, T));
    }

    assertThatThrownBy(() -> service.retryMatching("zylker", filter("w1", 0, Long.MAX_VALUE)))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("events"));
    assertThat(queued).isEmpty();
  }

  private static FailedExecutionQuery filter(String webhook, long from, long to) {
    return new FailedExecutionQuery(webhook, from, to, Set.of(), 50, 1);
  }
}
