package io.hookline.retryscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.runtime.HooklineConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerConfigurationTest {

  @Test
  void applicationYmlCarriesTheDocumentedDefaults() {
    try (ApplicationContext context = ApplicationContext.builder().build()) {
      Environment env = context.getEnvironment().start();
      assertThat(env.getProperty("hookline.kafka-bootstrap-servers", String.class)).contains("127.0.0.1:9092");
      assertThat(env.getProperty("hookline.topic-prefix", String.class)).contains("hookline.");
      assertThat(env.getProperty("hookline.retry-delays", String.class)).contains("60s,60s,60s");
      assertThat(env.getProperty("hookline.scheduler-group-id", String.class)).contains("hookline-retry-scheduler");
      assertThat(env.getProperty("hookline.scheduler-max-poll-wait", String.class)).contains("100ms");
      assertThat(env.getProperty("hookline.scheduler-max-poll-records", Integer.class)).contains(5_000);
      assertThat(env.getProperty("hookline.scheduler-read-ahead-records", Integer.class)).contains(10_000);
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
    assertThat(config.maxPollWait()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.maxPollRecords()).isEqualTo(5_000);
    assertThat(config.readAheadRecords()).isEqualTo(10_000);
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
    config.setSchedulerMaxPollWait("soon");
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setRetryDelays("60s,-5s");

    assertThatThrownBy(config::maxPollWait).hasMessageContaining("hookline.scheduler-max-poll-wait");
    assertThatThrownBy(shared::retrySchedule).hasMessageContaining("HOOKLINE_RETRY_DELAYS");
    config.setSchedulerReadAheadRecords(0);
    assertThatThrownBy(config::readAheadRecords).hasMessageContaining("hookline.scheduler-read-ahead-records");
  }
}
