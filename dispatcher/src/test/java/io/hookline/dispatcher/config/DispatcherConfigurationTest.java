package io.hookline.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.dispatcher.DispatcherSettings;
import io.hookline.runtime.HooklineConfiguration;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration keys, their defaults from the YAML files, and overrides as env vars give them. */
class DispatcherConfigurationTest {

  private static DispatcherSettings settings(Map<String, Object> overrides) {
    // An environment without beans: only the YAML files plus the overrides, bound like Micronaut does
    // (not the test environment's application-test.yml).
    try (var ctx = io.micronaut.context.ApplicationContext.builder().deduceEnvironment(false).build()) {
      Environment env = ctx.getEnvironment();
      env.addPropertySource(PropertySource.of("overrides", overrides, 1000));
      env.start();
      return bind(env).toSettings(shared(env));
    }
  }

  private static HooklineConfiguration shared(Environment env) {
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setKafkaBootstrapServers(env.getRequiredProperty("hookline.kafka-bootstrap-servers", String.class));
    shared.setTopicPrefix(env.getRequiredProperty("hookline.topic-prefix", String.class));
    shared.setTopicPartitions(env.getRequiredProperty("hookline.topic-partitions", Integer.class));
    shared.setTopicReplicationFactor(env.getRequiredProperty("hookline.topic-replication-factor", Short.class));
    shared.setTopicRetention(env.getRequiredProperty("hookline.topic-retention", Duration.class));
    shared.setRetryDelays(env.getRequiredProperty("hookline.retry-delays", String.class));
    return shared;
  }

  private static DispatcherConfiguration bind(Environment env) {
    DispatcherConfiguration c = new DispatcherConfiguration();
    c.setDeliveryTimeout(env.getRequiredProperty("hookline.delivery-timeout", Duration.class));
    c.setMaxInFlight(env.getRequiredProperty("hookline.max-in-flight", Integer.class));
    c.setMaxInFlightPerWebhook(env.getRequiredProperty("hookline.max-in-flight-per-webhook", Integer.class));
    c.setMaxQueued(env.getRequiredProperty("hookline.max-queued", Integer.class));
    c.setDispatcherGroupId(env.getRequiredProperty("hookline.dispatcher-group-id", String.class));
    c.setResponseExcerptBytes(env.getRequiredProperty("hookline.response-excerpt-bytes", Integer.class));
    c.setCommitInterval(env.getRequiredProperty("hookline.commit-interval", Duration.class));
    c.setAllowPrivateTargets(env.getRequiredProperty("hookline.allow-private-targets", Boolean.class));
    c.setBreakerFailureThreshold(env.getRequiredProperty("hookline.breaker-failure-threshold", Integer.class));
    c.setBreakerOpenDuration(env.getRequiredProperty("hookline.breaker-open-duration", Duration.class));
    c.setMaxQueuedPerWebhook(env.getRequiredProperty("hookline.max-queued-per-webhook", Integer.class));
    c.setMaxRetryAfter(env.getRequiredProperty("hookline.max-retry-after", Duration.class));
    c.setDispatcherWarmUp(env.getRequiredProperty("hookline.dispatcher-warm-up", Duration.class));
    return c;
  }

  @Test
  void applicationYmlGivesTheDocumentedDefaults() {
    DispatcherSettings s = settings(Map.of());

    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(s.maxRetryAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(s.topics().prefix()).isEqualTo("hookline.");
    assertThat(s.topics().partitions()).isEqualTo(6);
    assertThat(s.topics().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(s.retrySchedule().delays()).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));
    assertThat(s.deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.maxInFlight()).isEqualTo(512);
    assertThat(s.maxInFlightPerWebhook()).isEqualTo(8);
    assertThat(s.maxQueued()).isEqualTo(10_000);
    assertThat(s.groupId()).isEqualTo("hookline-dispatcher");
    assertThat(s.responseExcerptBytes()).isEqualTo(4096);
    assertThat(s.allowPrivateTargets()).isFalse();
    assertThat(s.breakerFailureThreshold()).isEqualTo(5);
    assertThat(s.breakerOpenDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxQueuedPerWebhook()).isEqualTo(100);
    assertThat(s.warmUp()).as("off unless asked for").isZero();
  }

  @Test
  void theDefaultsOfTheClassMatchApplicationYml() {
    assertThat(new DispatcherConfiguration().toSettings(new HooklineConfiguration())).hasToString(settings(Map.of()).toString());
  }

  @Test
  void overridesTakeEffect() {
    DispatcherSettings s = settings(Map.of("hookline.delivery-timeout", "2s", "hookline.retry-delays", "5s,5m,30m,2h",
        "hookline.max-in-flight", "64", "hookline.allow-private-targets", "true"));

    assertThat(s.deliveryTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.retrySchedule().maxRetries()).isEqualTo(4);
    assertThat(s.maxInFlight()).isEqualTo(64);
    assertThat(s.allowPrivateTargets()).isTrue();
  }

  @Test
  void theSecretsKeyIsBoundButNeverShown() {
    DispatcherConfiguration c = new DispatcherConfiguration();
    c.setSecretsKey("c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=");
    DispatcherSettings s = c.toSettings(new HooklineConfiguration());
    assertThat(s.secretsKey()).isEqualTo("c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=");
    assertThat(s.toString()).doesNotContain("c2VjcmV0").contains("secretsKey=***");
  }

  @Test
  void isolationOverridesTakeEffectAndNonsenseIsRefused() {
    DispatcherSettings s = settings(Map.of("hookline.breaker-failure-threshold", "0", "hookline.breaker-open-duration", "2s",
        "hookline.max-queued-per-webhook", "50"));
    assertThat(s.isolation().breakerFailureThreshold()).isZero();
    assertThat(s.isolation().breakerOpenDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.isolation().maxQueuedPerWebhook()).isEqualTo(50);

    DispatcherConfiguration c = new DispatcherConfiguration();
    c.setMaxQueuedPerWebhook(0);
    assertThatThrownBy(() -> c.toSettings(new HooklineConfiguration())).hasMessageContaining("max-queued-per-webhook");
    c.setMaxQueuedPerWebhook(10);
    c.setBreakerOpenDuration(Duration.ZERO);
    assertThatThrownBy(() -> c.toSettings(new HooklineConfiguration())).hasMessageContaining("breaker-open-duration");
  }

  @Test
  void theWarmUpIsADurationAndZeroTurnsItOff() {
    assertThat(settings(Map.of("hookline.dispatcher-warm-up", "0s")).warmUp()).isZero();
    assertThat(settings(Map.of("hookline.dispatcher-warm-up", "3s")).warmUp()).isEqualTo(Duration.ofSeconds(3));

    DispatcherConfiguration c = new DispatcherConfiguration();
    c.setDispatcherWarmUp(Duration.ofSeconds(-1));
    assertThatThrownBy(() -> c.toSettings(new HooklineConfiguration())).hasMessageContaining("dispatcher-warm-up");
  }

  @Test
  void nonsenseIsRefusedAtStartUp() {
    DispatcherConfiguration c = new DispatcherConfiguration();
    c.setMaxInFlight(0);
    assertThatThrownBy(() -> c.toSettings(new HooklineConfiguration())).hasMessageContaining("delivery limits");
  }
}
