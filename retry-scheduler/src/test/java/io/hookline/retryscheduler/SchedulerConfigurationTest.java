package io.hookline.retryscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.runtime.HooklineConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerConfigurationTest {

  @Test
  void applicationYmlCarriesTheDocumentedDefaults() {
    SchedulerConfiguration defaults = new SchedulerConfiguration();
    try (ApplicationContext context = ApplicationContext.builder().build()) {
      Environment env = context.getEnvironment().start();
      assertThat(env.getProperty("hookline.kafka-bootstrap-servers", String.class)).contains("127.0.0.1:9092");
      assertThat(env.getProperty("hookline.topic-prefix", String.class)).contains("hookline.");
      assertThat(env.getProperty("hookline.retry-delays", String.class)).contains("60s,60s,60s");
      assertThat(env.getProperty("hookline.scheduler-group-id", String.class)).contains("hookline-retry-scheduler");
      assertThat(env.getProperty("hookline.scheduler-max-poll-wait", String.class)).contains("100ms");
      assertThat(env.getProperty("hookline.scheduler-max-poll-records", Integer.class)).contains(5_000);
      assertThat(env.getProperty("hookline.scheduler-read-ahead-records", Integer.class)).contains(10_000);
      // The YAML documents the same durations the class falls back to, in the form people write.
      assertThat(Map.of(
          "scheduler-max-poll-wait", defaults.getSchedulerMaxPollWait(),
          "scheduler-fetch-max-wait", defaults.getSchedulerFetchMaxWait(),
          "scheduler-abort-backoff", defaults.getSchedulerAbortBackoff(),
          "scheduler-metrics-log-interval", defaults.getSchedulerMetricsLogInterval(),
          "scheduler-transaction-timeout", defaults.getSchedulerTransactionTimeout(),
          "scheduler-startup-timeout", defaults.getSchedulerStartupTimeout(),
          "scheduler-release-lead", defaults.getSchedulerReleaseLead()))
          .allSatisfy((key, value) -> assertThat(env.getProperty("hookline." + key, Duration.class)).as(key).contains(value));
    }
  }

  @Test
  void defaultsMatchTheSharedConventions() {
    SchedulerConfiguration config = new SchedulerConfiguration();
    HooklineConfiguration shared = new HooklineConfiguration();

    assertThat(shared.topicSettings().prefix()).isEqualTo("hookline.");
    assertThat(shared.topicSettings().partitions()).isEqualTo(6);
    assertThat(shared.topicSettings().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(shared.retrySchedule().maxRetries()).isEqualTo(3);
    assertThat(config.getSchedulerGroupId()).isEqualTo("hookline-retry-scheduler");
    assertThat(config.getSchedulerMaxPollWait()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.getSchedulerFetchMaxWait()).isEqualTo(Duration.ofMillis(25));
    assertThat(config.getSchedulerAbortBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.getSchedulerMetricsLogInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.getSchedulerTransactionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.getSchedulerStartupTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.getSchedulerMaxPollRecords()).isEqualTo(5_000);
    assertThat(config.getSchedulerReadAheadRecords()).isEqualTo(10_000);
    assertThat(config.getSchedulerReleaseLead()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theTransactionalIdIsDerivedFromTheHostUnlessSet() {
    SchedulerConfiguration config = new SchedulerConfiguration();
    assertThat(config.transactionalId()).isEqualTo("hookline-retry-scheduler-" + SchedulerConfiguration.hostName());

    config.setSchedulerTransactionalId("scheduler-pod-2");
    assertThat(config.transactionalId()).isEqualTo("scheduler-pod-2");
  }

  @Test
  void badValuesNameTheirKey() {
    SchedulerConfiguration config = new SchedulerConfiguration();
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setRetryDelays("60s,-5s");

    assertThatThrownBy(() -> config.setSchedulerMaxPollWait(Duration.ZERO))
        .hasMessageContaining("hookline.scheduler-max-poll-wait must be positive");
    assertThatThrownBy(() -> config.setSchedulerAbortBackoff(Duration.ofMillis(-1)))
        .hasMessageContaining("hookline.scheduler-abort-backoff must not be negative");
    assertThatThrownBy(shared::retrySchedule).hasMessageContaining("HOOKLINE_RETRY_DELAYS");
    assertThatThrownBy(() -> config.setSchedulerReadAheadRecords(0))
        .hasMessageContaining("hookline.scheduler-read-ahead-records must be at least 1");
    assertThatThrownBy(() -> config.setSchedulerReleaseLead(Duration.ofMillis(-1)))
        .hasMessageContaining("hookline.scheduler-release-lead must be between 0 and 5s");
    assertThatThrownBy(() -> config.setSchedulerReleaseLead(Duration.ofSeconds(6)))
        .hasMessageContaining("hookline.scheduler-release-lead must be between 0 and 5s");
    config.setSchedulerReleaseLead(Duration.ZERO);
    assertThat(config.getSchedulerReleaseLead()).as("hand-off at the due time is allowed").isZero();
    config.setSchedulerAbortBackoff(Duration.ZERO);
    assertThat(config.getSchedulerAbortBackoff()).as("no back-off is allowed").isZero();
  }

  @Test
  void aBadValueStopsStartUpNamingItsKey() {
    // Binding the configuration comes before anything connects to Kafka.
    assertThatThrownBy(() -> ApplicationContext.run(Map.of("hookline.scheduler-max-poll-wait", "0ms")))
        .rootCause().hasMessageContaining("hookline.scheduler-max-poll-wait must be positive");
    assertThatThrownBy(() -> ApplicationContext.run(Map.of("hookline.scheduler-fetch-max-wait", "soon")))
        .hasStackTraceContaining("scheduler-fetch-max-wait");
  }
}
