package io.hookline.bench;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.EnableKafkaRetryTopic;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The baseline: a plain Spring Kafka application (no Boot) with one {@code @RetryableTopic}
 * listener, configured as its documentation shows and otherwise left at Spring's defaults, so it
 * is what a user of Spring Kafka gets: a fixed back-off of D, two attempts, one retry topic
 * ({@code <topic>-retry}) and the default partition-pausing back-off manager.
 *
 * <p>The listener fails every record on its first delivery (main topic); Spring publishes it to the
 * retry topic stamped with its own due time (failure time + D, header {@value
 * RetryTopicHeaders#DEFAULT_HEADER_BACKOFF_TIMESTAMP}). On the retry delivery the listener records
 * lateness = now - that stamp, i.e. when the listener body starts the retry attempt.
 */
@Configuration
@EnableKafka
@EnableKafkaRetryTopic
class SpringRetryableTopicBaseline {

  static final String TOPIC_PROPERTY = "bench.spring.topic";
  static final String DELAY_PROPERTY = "bench.spring.delay-ms";
  static final String BOOTSTRAP_PROPERTY = "bench.spring.bootstrap-servers";
  static final String GROUP_PROPERTY = "bench.spring.group-id";
  static final String PARTITIONS_PROPERTY = "bench.spring.partitions";

  @Bean
  DefaultKafkaConsumerFactory<String, byte[]> consumerFactory(
      @Value("${" + BOOTSTRAP_PROPERTY + "}") String bootstrap, @Value("${" + GROUP_PROPERTY + "}") String group) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new DefaultKafkaConsumerFactory<>(props);
  }

  @Bean
  ConcurrentKafkaListenerContainerFactory<String, byte[]> kafkaListenerContainerFactory(
      DefaultKafkaConsumerFactory<String, byte[]> consumerFactory) {
    ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
    factory.setConsumerFactory(consumerFactory);
    return factory;
  }

  @Bean
  KafkaTemplate<String, byte[]> kafkaTemplate(@Value("${" + BOOTSTRAP_PROPERTY + "}") String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(props));
  }

  /** Spring's retry topics resume paused partitions from a TaskScheduler; a plain context has none. */
  @Bean
  ThreadPoolTaskScheduler taskScheduler() {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setThreadNamePrefix("spring-retry-resume-");
    return scheduler;
  }

  @Bean
  RetryListener retryListener() {
    return new RetryListener();
  }

  /** Fails each record once, then measures when its retry starts against Spring's due time. */
  public static class RetryListener {

    private volatile LatenessRecorder recorder;
    private final AtomicLong failures = new AtomicLong();

    void measureInto(LatenessRecorder recorder) {
      this.recorder = recorder;
    }

    @RetryableTopic(
        attempts = "2",
        backOff = @BackOff(delayString = "${" + DELAY_PROPERTY + "}"),
        autoCreateTopics = "false",
        numPartitions = "${" + PARTITIONS_PROPERTY + "}")
    @KafkaListener(id = "bench-retryable", topics = "${" + TOPIC_PROPERTY + "}")
    public void onRecord(ConsumerRecord<String, byte[]> record) {
      long now = System.currentTimeMillis();
      Header due = record.headers().lastHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP);
      if (due == null) {
        failures.incrementAndGet();
        throw new FirstAttemptFailed();
      }
      long dueAt = new BigInteger(due.value()).longValue();
      recorder.record(RetryLoad.indexOf(RetryLoad.decode(record.value())), dueAt, now);
    }

    long failures() {
      return failures.get();
    }
  }

  /** The simulated failed delivery; no stack trace, so the baseline does not pay for building one. */
  static final class FirstAttemptFailed extends RuntimeException {
    FirstAttemptFailed() {
      super("first attempt failed (benchmark)", null, false, false);
    }
  }
}
