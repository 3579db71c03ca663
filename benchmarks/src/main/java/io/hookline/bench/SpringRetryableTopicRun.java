package io.hookline.bench;

import io.hookline.testing.KafkaBroker;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;

/**
 * Runs the Spring Kafka baseline on the shared broker with topics of its own: creates the main,
 * retry and dead-letter topics up front (same partitions as Hookline's), starts the Spring context,
 * produces the load and waits until every record's retry has started.
 *
 * <p>By default the load goes straight onto Spring's retry topic, stamped exactly as Spring stamps
 * a record whose first attempt failed, just as Hookline's load goes straight onto its retry topic:
 * both then hold N pending retries at once and the run measures only the delayed-retry machinery.
 * Spring's own first-delivery path ({@code spring-load=main-topic}) forwards each failure with a
 * synchronous send and an offset commit, some tens of records a second on 2 cores, far too slow to
 * have 100,000 retries pending at once within a few minutes.
 */
final class SpringRetryableTopicRun {

  static final String MEASURED_AS =
      "retry listener invoked - Spring's due stamp (header " + RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP + ", ";

  private final KafkaBroker broker;
  private final BenchmarkSettings settings;

  /**
   * The headers Spring's DeadLetterPublishingRecovererFactory puts on a record it forwards to the
   * retry topic after the first attempt failed: attempt number 2 (an int), the original timestamp and
   * the due time (big-endian BigInteger bytes, read back by KafkaBackoffAwareMessageListenerAdapter).
   */
  static Headers stampedAsSpringDoes(long producedAt, long dueAt) {
    Headers headers = new RecordHeaders();
    headers.add(RetryTopicHeaders.DEFAULT_HEADER_ORIGINAL_TIMESTAMP, BigInteger.valueOf(producedAt).toByteArray());
    headers.add(RetryTopicHeaders.DEFAULT_HEADER_ATTEMPTS, ByteBuffer.allocate(Integer.BYTES).putInt(2).array());
    headers.add(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP, BigInteger.valueOf(dueAt).toByteArray());
    return headers;
  }

  SpringRetryableTopicRun(KafkaBroker broker, BenchmarkSettings settings) {
    this.broker = broker;
    this.settings = settings;
  }

  LatenessSummary run() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "spring" + id + ".retry-bench";
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(
              new NewTopic(topic, settings.partitions(), (short) 1),
              new NewTopic(topic + "-retry", settings.partitions(), (short) 1),
              new NewTopic(topic + "-dlt", settings.partitions(), (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    LatenessRecorder recorder = new LatenessRecorder(settings.records());
    try (AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext()) {
      spring.getEnvironment().getPropertySources().addFirst(new MapPropertySource("bench", Map.of(
          SpringRetryableTopicBaseline.BOOTSTRAP_PROPERTY, broker.bootstrapServers(),
          SpringRetryableTopicBaseline.TOPIC_PROPERTY, topic,
          SpringRetryableTopicBaseline.GROUP_PROPERTY, "spring-bench-" + id,
          SpringRetryableTopicBaseline.DELAY_PROPERTY, Long.toString(settings.delay().toMillis()),
          SpringRetryableTopicBaseline.PARTITIONS_PROPERTY, Integer.toString(settings.partitions()))));
      spring.register(SpringRetryableTopicBaseline.class);
      spring.refresh();
      SpringRetryableTopicBaseline.RetryListener listener = spring.getBean(SpringRetryableTopicBaseline.RetryListener.class);
      listener.measureInto(recorder);

      boolean viaMainTopic = settings.springLoad().equals("main-topic");
      String loadTopic = viaMainTopic ? topic : topic + "-retry";
      long start = System.currentTimeMillis();
      long produced = new RetryLoad(settings).produce(
          broker.bootstrapServers(), loadTopic, now -> now + settings.delay().toMillis(),
          viaMainTopic ? RetryLoad.HeaderStamp.NONE : SpringRetryableTopicRun::stampedAsSpringDoes);
      Progress.log("Spring: produced %,d records to %s in %,d ms; waiting for their retries",
          settings.records(), loadTopic, produced - start);
      boolean complete = Progress.await(recorder, "Spring", settings.delay().plus(settings.drainTimeout()),
          () -> viaMainTopic ? String.format(" (first deliveries failed: %,d)", listener.failures()) : "");
      if (!complete) {
        throw new IllegalStateException("Spring: only " + recorder.received() + " of " + settings.records()
            + " retries started within " + settings.delay().plus(settings.drainTimeout()).toSeconds()
            + " s (first deliveries failed: " + listener.failures() + "); missing e.g. "
            + new RetryLoad(settings).describe(recorder.missing(10)));
      }
      return recorder.summary("Spring Kafka @RetryableTopic", MEASURED_AS + (viaMainTopic
          ? "set by Spring to failure time + D; load produced to the main topic and failed once by the listener)"
          : "produce time + D; load produced straight to the retry topic, stamped as Spring stamps a failed record)"));
    }
  }
}
