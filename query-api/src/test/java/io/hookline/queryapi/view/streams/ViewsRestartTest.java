package io.hookline.queryapi.view.streams;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.QueryApiServers;
import io.hookline.queryapi.StateDirs;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
import io.hookline.queryapi.stats.streams.StatsTopology;
import io.hookline.schemas.AvroSerde;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A query-api stopped cleanly and started again on the same state folder keeps its views' local
 * state: every task opens its RocksDB stores where they were, instead of restoring everything from
 * the changelogs (minutes for a large attempt log). That includes a task whose statistics hold no
 * window yet, which Kafka Streams would otherwise declare corrupted at every start
 * ({@link CheckpointedWindowStores}). Real broker, real RocksDB, the real server started twice.
 */
@IntegrationTest
class ViewsRestartTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final int FAILURES = 20;
  /** Written into the folder of each task while the server is down. */
  private static final String MARKER = "kept-across-restart";

  private final Path stateDir = StateDirs.fresh();
  private EmbeddedServer server;

  @AfterEach
  void stop() {
    if (server != null && server.getApplicationContext().isRunning()) {
      server.getApplicationContext().close();
    }
    StateDirs.delete(stateDir);
  }

  @Test
  void aCleanRestartKeepsTheLocalStateOfEveryTaskWithStatisticsOrWithout() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    String applicationId = "hookline-query-restart-" + UUID.randomUUID();
    server = start(prefix, applicationId);
    String webhook = "restart-" + UUID.randomUUID();
    long now = System.currentTimeMillis(); // within the statistics' retention, so they count too
    try (KafkaProducer<String, FailedExecution> producer = producer()) {
      for (int i = 1; i <= FAILURES; i++) {
        producer.send(new ProducerRecord<>(prefix + "dead-letter", webhook,
            failed("restarted", webhook, webhook + "-e" + i, now - i))).get(10, TimeUnit.SECONDS);
      }
    }
    await("the failures in the view").atMost(WITHIN).until(() -> failedExecutions(server) == FAILURES);
    server.getApplicationContext().close();

    Path application = stateDir.resolve(applicationId);
    List<Path> tasks = taskFolders(application);
    List<Path> withStatistics = tasksWithStatistics(tasks);
    assertThat(withStatistics).as("task folders holding the webhook's statistics").isNotEmpty();
    assertThat(tasks).as("task folders, one of them without statistics (one webhook, two partitions)")
        .hasSizeGreaterThan(withStatistics.size());
    for (Path task : tasks) {
      Files.writeString(task.resolve(MARKER), "written while the server was down");
    }

    server = start(prefix, applicationId);
    await("the views running again").atMost(WITHIN).until(() -> failedExecutions(server) == FAILURES);

    for (Path task : tasks) {
      assertThat(task.resolve(MARKER)).as("%s kept, not wiped and restored from its changelogs", task.getFileName())
          .exists();
    }
  }

  private EmbeddedServer start(String prefix, String applicationId) {
    return QueryApiServers.start(Map.of(
        "hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers(),
        "hookline.topic-prefix", prefix,
        "hookline.topic-partitions", 2,
        "hookline.query-application-id", applicationId,
        "hookline.state-dir", stateDir.toString()));
  }

  private static KafkaProducer<String, FailedExecution> producer() {
    Map<String, Object> props = new HashMap<>(KAFKA.broker().clientProps());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(FailedExecution.class).serializer());
  }

  /** Entries in this instance's failed-executions store, or -1 while the views are not running. */
  private static long failedExecutions(EmbeddedServer server) {
    KafkaStreams streams = server.getApplicationContext().getBean(QueryViewsStreams.class).streams();
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return -1;
    }
    ReadOnlyKeyValueStore<Object, Object> store = streams.store(StoreQueryParameters.fromNameAndType(
        FailedExecutionsTopology.FAILED_EXECUTIONS_STORE, QueryableStoreTypes.keyValueStore()));
    long n = 0;
    try (KeyValueIterator<Object, Object> all = store.all()) {
      while (all.hasNext()) {
        all.next();
        n++;
      }
    }
    return n;
  }

  private static List<Path> taskFolders(Path application) throws IOException {
    try (Stream<Path> tasks = Files.list(application)) {
      return tasks.filter(Files::isDirectory).toList();
    }
  }

  /** The task folders whose minute statistics have a segment on disk (the webhook's task). */
  private static List<Path> tasksWithStatistics(List<Path> tasks) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path task : tasks) {
      Path minutes = task.resolve(StatsTopology.MINUTE_STORE);
      if (Files.isDirectory(minutes)) {
        try (Stream<Path> segments = Files.list(minutes)) {
          if (segments.findAny().isPresent()) {
            found.add(task);
          }
        }
      }
    }
    return found;
  }
}
