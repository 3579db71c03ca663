package io.hookline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** {@code hookline.topic-min-isr}: its default, its checks, and every topic created with it. */
class TopicMinIsrConfigurationTest {

  @Test
  void unsetItKeepsWritingWithOneBrokerDownAndAsksForTwoCopiesWhenThreeExist() {
    assertThat(minIsrFor(1)).isEqualTo((short) 1);
    assertThat(minIsrFor(2)).isEqualTo((short) 1);
    assertThat(minIsrFor(3)).isEqualTo((short) 2);
    assertThat(minIsrFor(5)).isEqualTo((short) 2);
  }

  @Test
  void aSetValueWins() {
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setTopicReplicationFactor((short) 3);
    shared.setTopicMinIsr((short) 3);
    assertThat(shared.topicSettings().minInsyncReplicas()).isEqualTo((short) 3);
  }

  @Test
  void aBadValueIsRefusedNamingTheKeys() {
    HooklineConfiguration shared = new HooklineConfiguration();
    assertThatThrownBy(() -> shared.setTopicMinIsr((short) 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hookline.topic-min-isr must be at least 1, was 0");
    shared.setTopicReplicationFactor((short) 2);
    shared.setTopicMinIsr((short) 3);
    assertThatThrownBy(shared::topicSettings).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hookline.topic-min-isr (HOOKLINE_TOPIC_MIN_ISR) must be at most "
            + "hookline.topic-replication-factor (2), was 3");
  }

  @Test
  void everyTopicOfTheCatalogueIsCreatedWithIt() {
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setTopicReplicationFactor((short) 3);
    shared.setRetryDelays("1s,5m");
    HooklineTopics topics = shared.topics();
    assertThat(topics.all()).hasSize(12).allSatisfy(
        t -> assertThat(t.configs()).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2"));
    // Its own configs stay beside it.
    Topic<?, ?> webhooks = topics.webhooks();
    assertThat(webhooks.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
  }

  @Test
  void theServicesBindItFromTheirEnvironmentAndTheSharedFileDocumentsIt() throws IOException {
    try (ApplicationContext context = ApplicationContext.run(Map.of(
        "hookline.topic-replication-factor", "3", "hookline.topic-min-isr", "3"))) {
      assertThat(context.getBean(HooklineConfiguration.class).topicSettings().minInsyncReplicas()).isEqualTo((short) 3);
    }
    try (ApplicationContext context = ApplicationContext.run(Map.of("hookline.topic-replication-factor", "3"))) {
      assertThat(context.getBean(HooklineConfiguration.class).getTopicMinIsr()).isEqualTo((short) 2);
    }
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(SharedPropertySourceLoader.RESOURCE)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("# topic-min-isr:", "HOOKLINE_TOPIC_MIN_ISR");
    }
  }

  private static short minIsrFor(int replicationFactor) {
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setTopicReplicationFactor((short) replicationFactor);
    return shared.topicSettings().minInsyncReplicas();
  }
}
