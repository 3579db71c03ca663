package io.hookline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigurationChecksTest {

  @Test
  void aBadValueIsRefusedWithItsFullKey() {
    assertThatThrownBy(() -> ConfigurationChecks.positive("topic-retention", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hookline.topic-retention must be positive, was PT0S");
    assertThatThrownBy(() -> ConfigurationChecks.positive("topic-retention", null))
        .isInstanceOf(NullPointerException.class).hasMessage("hookline.topic-retention");
    assertThatThrownBy(() -> ConfigurationChecks.atLeastOne("topic-partitions", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hookline.topic-partitions must be at least 1, was 0");
  }

  @Test
  void aGoodValueIsReturned() {
    assertThat(ConfigurationChecks.positive("topic-retention", Duration.ofDays(30))).isEqualTo(Duration.ofDays(30));
    assertThat(ConfigurationChecks.atLeastOne("topic-partitions", 6)).isEqualTo(6);
  }

  @Test
  void theSharedKeysAreChecked() {
    HooklineConfiguration shared = new HooklineConfiguration();
    assertThatThrownBy(() -> shared.setTopicPartitions(0)).hasMessageContaining("hookline.topic-partitions");
    assertThatThrownBy(() -> shared.setTopicReplicationFactor((short) 0))
        .hasMessage("hookline.topic-replication-factor must be at least 1, was 0");
    assertThatThrownBy(() -> shared.setTopicRetention(Duration.ofSeconds(-1))).hasMessageContaining("hookline.topic-retention");
  }
}
