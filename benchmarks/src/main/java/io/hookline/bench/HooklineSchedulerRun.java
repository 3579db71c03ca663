package io.hookline.bench;

import io.hookline.avro.RetryRequest;
import io.hookline.schemas.DurationText;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Runs Hookline's retry-scheduler in-process (its Micronaut context, as a test or the local run
 * starts it) against the shared broker with a topic prefix of its own, produces the load straight
 * to the retry topic with {@code due_at = produce time + D}, and measures each record when a
 * {@code read_committed} consumer of {@code redeliveries} receives it, or, if it arrives before its
 * due time, when a timer set for it fires: that is when the dispatcher, which consumes that topic
 * the same way and holds an early record until it is due, would start the attempt.
 */
final class HooklineSchedulerRun {

  static final String MEASURED_AS =
      "attempt start - due_at, where the attempt starts as the dispatcher starts it: when a read_committed consumer "
      + "of redeliveries receives the record, or, for a record handed over before its due time (the scheduler's "
      + "release lead), when a timer set for due_at fires in that consumer's JVM";

  private final KafkaBroker broker;
  private final BenchmarkSettings settings;

  HooklineSchedulerRun(KafkaBroker broker, BenchmarkSettings settings) {
    this.broker = broker;
    this.settings = settings;
  }

  LatenessSummary run() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "bench" + id + ".hookline.";
    HooklineTopics topics = new HooklineTopics(
        new TopicSettings(prefix, settings.partitions(), (short) 1, TopicSettings.DEFAULT_RETENTION),
        RetrySchedule.parse(retryDelays()));
    broker.createTopics(topics);

    LatenessRecorder recorder = new LatenessRecorder(settings.records());
    RedeliveryWatcher watcher = new RedeliveryWatcher(broker.bootstrapServers(), topics.redeliveries(), recorder);
    Thread watching = new Thread(watcher, "bench-redeliveries-watcher");
    watching.start();
    try (ApplicationContext scheduler = ApplicationContext.run(schedulerProperties(prefix, id))) {
      Progress.log("Hookline: retry-scheduler started (%s)", scheduler.getEnvironment().getActiveNames());
      Topic<String, RetryRequest> retryTopic = topics.retry(settings.delay());
      long start = System.currentTimeMillis();
      long produced = new RetryLoad(settings).produce(
          broker.bootstrapServers(), retryTopic.name(), now -> now + settings.delay().toMillis(),
          RetryLoad.HeaderStamp.NONE);
      Progress.log("Hookline: produced %,d records to %s in %,d ms; waiting for them to come due",
          settings.records(), retryTopic.name(), produced - start);
      Duration timeout = settings.delay().plus(settings.drainTimeout());
      boolean complete = Progress.await(recorder, "Hookline", timeout, () -> "");
      watcher.failure().ifPresent(e -> {
        throw new IllegalStateException("Hookline: the redeliveries watcher failed", e);
      });
      if (!complete) {
        throw new IllegalStateException("Hookline: only " + recorder.received() + " of " + settings.records()
            + " retries reached " + topics.redeliveries().name() + " within " + timeout.toSeconds() + " s; "
            + retryTopic.name() + " holds " + endOffsets(retryTopic.name()) + " records by partition; missing e.g. "
            + new RetryLoad(settings).describe(recorder.missing(10)));
      }
      return recorder.summary("Hookline retry-scheduler", MEASURED_AS);
    } finally {
      watcher.stop();
      watching.join(10_000);
    }
  }

  private Map<Integer, Long> endOffsets(String topic) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < settings.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> out = new TreeMap<>();
    try (Admin admin = broker.admin()) {
      admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
    } catch (Exception e) {
      out.put(-1, -1L);
    }
    return out;
  }

  /** The schedule as the scheduler is configured with it, so both sides name the retry topic alike. */
  private String retryDelays() {
    return DurationText.format(settings.delay());
  }

  private Map<String, Object> schedulerProperties(String prefix, String id) {
    Map<String, Object> props = new HashMap<>();
    props.put("hookline.kafka-bootstrap-servers", broker.bootstrapServers());
    props.put("hookline.topic-prefix", prefix);
    props.put("hookline.topic-partitions", settings.partitions());
    props.put("hookline.retry-delays", retryDelays());
    props.put("hookline.scheduler-group-id", "bench-scheduler-" + id);
    props.put("hookline.scheduler-transactional-id", "bench-scheduler-" + id);
    props.put("hookline.management-port", 0); // any free port: nothing scrapes it here
    return props;
  }

  /** Reads every partition of redeliveries (no group) read_committed and records each arrival. */
  private static final class RedeliveryWatcher implements Runnable {

    private final LatenessRecorder recorder;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-redelivery-timer");
      t.setDaemon(true);
      return t;
    });
    private volatile boolean running = true;

    RedeliveryWatcher(String bootstrapServers, Topic<String, RetryRequest> topic, LatenessRecorder recorder) {
      this.recorder = recorder;
      this.consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
          ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < topic.partitions(); p++) {
        partitions.add(new TopicPartition(topic.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    @Override
    public void run() {
      try {
        while (running) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            long now = System.currentTimeMillis();
            RetryRequest request = RetryLoad.decode(record.value());
            int index = RetryLoad.indexOf(request);
            long due = request.getDueAt();
            if (due > now) {
              // Early: held until due, as the dispatcher holds it (one timer thread, as there).
              timer.schedule(() -> recorder.record(index, due, System.currentTimeMillis()), due - now,
                  TimeUnit.MILLISECONDS);
            } else {
              recorder.record(index, due, now);
            }
          }
        }
      } catch (WakeupException e) {
        if (running) {
          failure.set(e);
        }
      } catch (RuntimeException e) {
        failure.set(e);
      } finally {
        consumer.close();
        timer.shutdown();
      }
    }

    Optional<Exception> failure() {
      return Optional.ofNullable(failure.get());
    }

    void stop() {
      running = false;
      consumer.wakeup();
    }
  }
}
