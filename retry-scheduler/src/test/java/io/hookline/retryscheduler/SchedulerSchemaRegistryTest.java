package io.hookline.retryscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.RetryRequest;
import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.SchemaRegistryClient;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.ApicurioRegistry;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler with a real schema registry (Apicurio) that stops answering: parked executions in
 * the registry wire format cannot be read without it, and that is not their fault. The scheduler
 * stops with an error naming the registry (the application then exits 1, for a supervisor to
 * restart it), releases nothing, refuses nothing to the invalid topic and commits nothing past
 * them; started again with the registry answering, it releases each of them once, in order.
 */
@IntegrationTest
class SchedulerSchemaRegistryTest {

  /** Started as the class loads, so its start (about 14 s) overlaps the broker's. */
  private static final CompletableFuture<ApicurioRegistry> REGISTRY = CompletableFuture.supplyAsync(ApicurioRegistry::shared);

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void aRegistryThatDoesNotAnswerStopsTheSchedulerWithNothingReleasedRefusedOrCommittedAndARestartReleasesEachOnce()
      throws Exception {
    ApicurioRegistry registry = registry();
    String prefix = KafkaBroker.uniquePrefix();
    HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(1)
        .withSchemaRegistry(new SchemaRegistryClient(new SchemaRegistryClient.Settings(registry.confluentApiUrl(),
            null, null, null, Duration.ofSeconds(30)))), RetrySchedule.parse("1s"));
    KAFKA.broker().createTopics(topics);
    TopicPartition parked = new TopicPartition(topics.parked().name(), 0);
    long now = System.currentTimeMillis();
    List<RetryRequest> requests = List.of(RetryRecords.request("exec-1", "wh-1", now), RetryRecords.request("exec-2", "wh-1", now));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KAFKA.broker().clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (RetryRequest r : requests) {
        byte[] framed = topics.parked().valueSerde().serializer().serialize(parked.topic(), r);
        assertThat(framed[0]).as("registry wire format").isZero();
        producer.send(new ProducerRecord<>(parked.topic(), 0, "wh-1".getBytes(StandardCharsets.UTF_8), framed)).get();
      }
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String group = prefix + "scheduler";

    try (SchedulerInstance down = SchedulerInstance.start(KAFKA.broker(), prefix, 1, "1s", group, prefix + "scheduler-0",
        Map.of("hookline.schema-registry-url", "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7",
            "hookline.schema-registry-timeout", "1s"))) {
      RetryScheduler scheduler = down.scheduler();
      assertThat(scheduler.awaitTermination(Duration.ofSeconds(60))).as("stopped").isTrue();
      assertThat(scheduler.failure()).get().isInstanceOf(SchemaRegistryException.class)
          .satisfies(e -> assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort));
      assertThat(scheduler.readiness().up()).isFalse();
      assertThat(scheduler.liveness().up()).as("a supervisor restarts it").isFalse();
      assertThat(scheduler.recordsReleased()).isZero();
      assertThat(scheduler.invalidRecords()).isZero();
    }
    try (Admin admin = KAFKA.broker().admin()) {
      assertThat(committed(admin, group, parked)).as("nothing committed past the parked records").isNull();
      assertThat(endOffset(admin, new TopicPartition(topics.eventsInvalid().name(), 0))).as("nothing refused").isZero();
      assertThat(endOffset(admin, new TopicPartition(topics.redeliveries().name(), 0))).as("nothing released").isZero();

      try (SchedulerInstance up = SchedulerInstance.start(KAFKA.broker(), prefix, 1, "1s", group, prefix + "scheduler-0",
              Map.of("hookline.schema-registry-url", registry.confluentApiUrl()));
          TopicRecording<String, RetryRequest> redeliveries = TopicRecording.of(topics.redeliveries(), KAFKA.broker().clientProps())) {
        List<RetryRequest> released = redeliveries.await(r -> true, 2, Duration.ofSeconds(30));
        assertThat(released).as("each once, in order").containsExactlyElementsOf(requests);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> committed(admin, group, parked) != null && committed(admin, group, parked).offset() == 2);
        assertThat(up.scheduler().recordsReleased()).isEqualTo(2);
        assertThat(up.scheduler().invalidRecords()).isZero();
      }
    }
  }

  /** The registry, or what stopped it from starting (a missing distribution skips the test, or fails it in CI). */
  private static ApicurioRegistry registry() {
    try {
      return REGISTRY.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static OffsetAndMetadata committed(Admin admin, String group, TopicPartition partition) throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
  }

  private static long endOffset(Admin admin, TopicPartition partition) throws Exception {
    return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
  }
}
