package io.hookline.retryscheduler;

import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.hookline.retryscheduler.adapter.out.kafka.KafkaReleaseTransactions;
import io.hookline.retryscheduler.adapter.out.kafka.KafkaRetryFeed;
import io.hookline.retryscheduler.adapter.out.metrics.MicrometerReleaseLateness;
import io.hookline.retryscheduler.application.ReleaseListener;
import io.hookline.retryscheduler.application.RetryRelay;
import io.hookline.retryscheduler.domain.ReleaseLateness;
import io.hookline.schemas.HooklineTopics;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.TopicProvisioner;
import io.hookline.runtime.management.ManagementServer;
import io.hookline.runtime.management.StartingService;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Wires the retry scheduler from its configuration: the topic catalogue, the Kafka clients with the
 * settings its guarantees rest on (transactional producer, {@code read_committed} consumer without
 * auto-commit), and the scheduler itself, which starts with the application context after every
 * catalogue topic exists and stops (committing or aborting its batch) when the context closes.
 */
@Factory
public class SchedulerFactory {

  @Singleton
  HooklineTopics topics(HooklineConfiguration shared) {
    return shared.topics();
  }

  @Singleton
  ReleaseLateness releaseLateness() {
    return new ReleaseLateness();
  }

  /** The scheduler's probes, before and after it started. */
  @Singleton
  static final class StartedScheduler extends StartingService<RetryScheduler> {
    StartedScheduler() {
      super("creating topics and registering the transactional id", RetryScheduler::readiness, RetryScheduler::liveness);
    }
  }

  /** Opens before the scheduler starts, so an orchestrator sees "not ready" rather than "not listening". */
  @Singleton
  @Bean(preDestroy = "close")
  ManagementServer managementServer(SchedulerConfiguration config, HooklineConfiguration shared,
      @Nullable PrometheusMeterRegistry registry, StartedScheduler started) {
    return ManagementServer.start("retry-scheduler", config.getManagementPort(), shared, registry, started);
  }

  @Context
  @Bean(preDestroy = "close")
  RetryScheduler retryScheduler(SchedulerConfiguration config, HooklineConfiguration shared, HooklineTopics topics,
      ReleaseLateness lateness, @Nullable PrometheusMeterRegistry registry, KafkaClientMeters meters,
      ManagementServer management, StartedScheduler started) {
    boolean metricsOn = shared.isMetricsEnabled() && registry != null;
    RetryRelay.Timing timing = new RetryRelay.Timing(
        config.getSchedulerMaxPollWait(), config.getSchedulerAbortBackoff(), config.getSchedulerMetricsLogInterval(),
        config.getSchedulerReleaseLead());
    KafkaProducer<byte[], byte[]> producer = meters.producer(
        new KafkaProducer<>(producerProps(config, shared), new ByteArraySerializer(), new ByteArraySerializer()));
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      provisionTopics(config, shared, topics);
      consumer = meters.consumer(
          new KafkaConsumer<>(consumerProps(config, shared), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
      RetryRelay<TopicPartition, ?> relay = new RetryRelay<>(
          new KafkaRetryFeed(consumer, topics), new KafkaReleaseTransactions(producer, consumer, topics),
          lateness, timing, config.getSchedulerReadAheadRecords(), Clock.systemUTC(),
          metricsOn ? new MicrometerReleaseLateness(registry) : ReleaseListener.NONE);
      RetryScheduler scheduler = new RetryScheduler(relay).start();
      if (metricsOn) {
        SchedulerMeters.bind(registry, scheduler);
      }
      return started.started(scheduler);
    } catch (RuntimeException e) {
      producer.close();
      if (consumer != null) {
        consumer.close();
      }
      throw e;
    }
  }

  /** Creates every catalogue topic before anything consumes or produces. */
  private static void provisionTopics(SchedulerConfiguration config, HooklineConfiguration shared, HooklineTopics topics) {
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, shared.getKafkaBootstrapServers()))) {
      TopicProvisioner.ensureTopics(admin, topics, config.getSchedulerStartupTimeout());
    }
  }

  static Map<String, Object> consumerProps(SchedulerConfiguration config, HooklineConfiguration shared) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.getKafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.getSchedulerGroupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-consumer");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group must not skip retries that were scheduled before it first ran.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // A fetch waiting for data delays the fetch of a partition that was just resumed: keep it short.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.getSchedulerFetchMaxWait().toMillis());
    // Records read but not due yet wait in memory (see scheduler-read-ahead-records); one poll may
    // bring thousands, all released in one transaction when they are due.
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.getSchedulerMaxPollRecords());
    // The consumer reads its socket only inside poll(), and the loop spends most of a busy turn
    // committing: with the default 64 KiB receive buffer a fetch response of a few MiB trickles in
    // over dozens of turns. Let the OS size (auto-tune) the buffer so a response lands in one go.
    props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
    // Learn of a rebalance (an instance gone or added) within a second, not the default three.
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    // Static membership under HOOKLINE_INSTANCE_ID: restarted after a crash, it gets its partitions back at once.
    return shared.groupMembership().consumerProps(props);
  }

  static Map<String, Object> producerProps(SchedulerConfiguration config, HooklineConfiguration shared) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.getKafkaBootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-producer");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // A turn releases everything due in one transaction, often thousands of records, then flushes:
    // large batches and requests mean fewer produce requests per transaction; the short linger
    // only matters while the sends of a turn are still being handed over.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    // A transaction that starts while the markers of the previous one are still being written is
    // told to retry (CONCURRENT_TRANSACTIONS); the default 100 ms back-off can add that much to the
    // lateness of the records it releases. Further retries still back off exponentially.
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    props.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
    // Bounds every blocking producer call: start-up (metadata, transactional id) and each commit.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.getSchedulerStartupTimeout().toMillis());
    // A transaction left open by a crashed instance holds back read_committed readers of the
    // redeliveries topic, and the next owner of its retry partitions, until the broker aborts it.
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.getSchedulerTransactionTimeout().toMillis());
    return props;
  }
}
