package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.delayed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Webhook;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service as an operator sees it: bounded memory under a backlog, a clean shutdown, a loud stop
 * when outcomes cannot be written, and private targets refused. Each test runs its own dispatcher.
 */
@IntegrationTest
class DispatcherResilienceTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void aBacklogAboveMaxQueuedPausesInputUntilItDrainsAndEveryEventIsDelivered() {
    try (RunningDispatcher d = new RunningDispatcher(KAFKA.broker(),
        Map.of("hookline.max-queued", 4, "hookline.max-in-flight-per-webhook", 1))) {
      d.createWebhook("/steady", "steady.event");
      d.receiver.answer("/steady", delayed(Duration.ofMillis(150), 200));

      for (int i = 0; i < 6; i++) {
        d.publishJson(0, RunningDispatcher.json("steady.event"));
      }
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(d.dispatcher::inputPaused);
      RecordMetadata last = null;
      for (int i = 0; i < 6; i++) {
        last = d.publishJson(0, RunningDispatcher.json("steady.event"));
      }
      // While paused nothing more is taken in: within one pause the backlog only shrinks.
      record Sample(boolean paused, long pauses, int backlog) {}
      List<Sample> samples = new java.util.ArrayList<>();
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
        long pauses = d.dispatcher.inputPauses();
        int backlog = d.dispatcher.backlog();
        boolean paused = d.dispatcher.inputPaused() && d.dispatcher.inputPauses() == pauses;
        samples.add(new Sample(paused, pauses, backlog));
        return d.receiver.requests("/steady").size() == 12 && !d.dispatcher.inputPaused();
      });
      for (int i = 1; i < samples.size(); i++) {
        Sample before = samples.get(i - 1);
        Sample now = samples.get(i);
        if (before.paused() && now.paused() && before.pauses() == now.pauses()) {
          assertThat(now.backlog()).as("backlog during one pause").isLessThanOrEqualTo(before.backlog());
        }
      }
      assertThat(samples).anyMatch(Sample::paused);
      assertThat(samples).allMatch(x -> x.backlog() <= 12);
      d.receiver.awaitRequests("/steady", 12, Duration.ofSeconds(15));
      RecordMetadata end = last;
      await().atMost(Duration.ofSeconds(5)).until(() -> d.committed(0) == end.offset() + 1);
    }
  }

  @Test
  void aGracefulShutdownFinishesTheRequestInFlightWritesItsOutcomeAndCommits() {
    try (RunningDispatcher d = new RunningDispatcher(KAFKA.broker(), Map.of())) {
      Webhook w = d.createWebhook("/slowly", "slow.ok");
      d.receiver.answer("/slowly", delayed(Duration.ofMillis(1500), 200));
      RecordMetadata m = d.publishJson(1, RunningDispatcher.json("slow.ok"));
      d.receiver.awaitRequests("/slowly", 1, Duration.ofSeconds(10));

      d.context.close();

      assertThat(d.dispatcher.failure()).isNull();
      Attempt a = d.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), Duration.ofSeconds(5));
      assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT);
      assertThat(a.getDurationMs()).isGreaterThanOrEqualTo(1500L);
      assertThat(d.committed(1)).isEqualTo(m.offset() + 1);
    }
  }

  @Test
  void anOutcomeThatCannotBeWrittenStopsTheDispatcherWithoutCommittingPastIt() throws Exception {
    try (RunningDispatcher d = new RunningDispatcher(KAFKA.broker(), Map.of())) {
      d.createWebhook("/fatal", "fatal.event");
      // The broker now refuses every attempt record: too large for the topic.
      ConfigResource attempts = new ConfigResource(ConfigResource.Type.TOPIC, d.topics.attempts().name());
      d.admin.incrementalAlterConfigs(Map.of(attempts, List.of(new AlterConfigOp(
          new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"), AlterConfigOp.OpType.SET)))).all().get();
      await().atMost(Duration.ofSeconds(10)).until(() -> "64".equals(
          d.admin.describeConfigs(List.of(attempts)).all().get().get(attempts).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()));

      RecordMetadata m = d.publishJson(2, RunningDispatcher.json("fatal.event"));

      d.receiver.awaitRequests("/fatal", 1, Duration.ofSeconds(10));
      Throwable failure = d.dispatcher.terminated().get(30, TimeUnit.SECONDS);
      assertThat(failure).isNotNull().hasMessageContaining(d.topics.attempts().name());
      assertThat(d.committed(2)).isLessThanOrEqualTo(m.offset());
    }
  }

  @Test
  void aPrivateTargetIsNotCalledUnlessAllowed() {
    try (RunningDispatcher d = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.allow-private-targets", false))) {
      Webhook w = d.createWebhook("/private", "private.event");

      d.publishJson(null, RunningDispatcher.json("private.event"));

      Attempt a = d.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), Duration.ofSeconds(10));
      assertThat(a.getStatus()).isEqualTo(AttemptStatus.ERROR);
      assertThat(a.getErrorCode()).isEqualTo("TARGET_REFUSED");
      assertThat(a.getHttpStatus()).isNull();
      assertThat(a.getErrorMessage()).contains("loopback");
      // Not retried: a failed execution at once, with the same code.
      var failed = d.deadLetters.awaitOne(x -> x.getWebhookId().equals(w.getId()), Duration.ofSeconds(10));
      assertThat(failed.getNumberOfRetries()).isZero();
      assertThat(failed.getErrorCode()).isEqualTo("TARGET_REFUSED");
      assertThat(d.retries.values(r -> r.getWebhookId().equals(w.getId()))).isEmpty();
      assertThat(d.receiver.requests("/private")).isEmpty();
    }
  }

  @Test
  void instancesShareThePartitionsAndTheSurvivorTakesOverWithNothingLost() {
    try (RunningDispatcher first = new RunningDispatcher(KAFKA.broker(), Map.of())) {
      Map<String, Object> sameGroup = Map.of("hookline.topic-prefix", first.prefix, "hookline.dispatcher-group-id", first.groupId);
      try (RunningDispatcher second = new RunningDispatcher(KAFKA.broker(), sameGroup)) {
        first.createWebhook("/shared", "shared.event");
        // Both instances own some of the events partitions.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          var group = first.admin.describeConsumerGroups(List.of(first.groupId)).all().get().get(first.groupId);
          return group.groupState() == org.apache.kafka.common.GroupState.STABLE && group.members().size() == 2
              && group.members().stream().allMatch(m -> m.assignment().topicPartitions().stream()
                  .anyMatch(tp -> tp.topic().equals(first.topics.events().name())));
        });
        for (int i = 0; i < 9; i++) {
          first.publishJson(i % 3, RunningDispatcher.json("shared.event"));
        }
        first.receiver.awaitRequests("/shared", 9, Duration.ofSeconds(15));

        second.context.close();
        for (int i = 0; i < 9; i++) {
          first.publishJson(i % 3, RunningDispatcher.json("shared.event"));
        }
        var requests = first.receiver.awaitRequests("/shared", 18, Duration.ofSeconds(20));
        assertThat(requests.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(18);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.committed(0) >= 6 && first.committed(1) >= 6 && first.committed(2) >= 6);
      }
    }
  }
}
