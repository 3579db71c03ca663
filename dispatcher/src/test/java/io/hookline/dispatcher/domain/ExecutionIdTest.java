package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutionIdTest {

  @Test
  void theSameEventAndWebhookAlwaysGiveTheSameId() {
    String a = ExecutionId.of("0b6f7d1e-2c1a-4a5e-9f00-1d2e3f4a5b6c", "wh_1");
    assertThat(ExecutionId.of("0b6f7d1e-2c1a-4a5e-9f00-1d2e3f4a5b6c", "wh_1")).isEqualTo(a);
    assertThat(UUID.fromString(a).version()).isEqualTo(3);
    assertThat(a).isEqualTo(UUID.nameUUIDFromBytes("0b6f7d1e-2c1a-4a5e-9f00-1d2e3f4a5b6c/wh_1".getBytes()).toString());
  }

  @Test
  void anotherEventOrWebhookGivesAnotherId() {
    String a = ExecutionId.of("e1", "wh_1");
    assertThat(ExecutionId.of("e2", "wh_1")).isNotEqualTo(a);
    assertThat(ExecutionId.of("e1", "wh_2")).isNotEqualTo(a);
  }
}
