package io.hookline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {

  @Test
  void anInstanceIdMakesEveryGroupMemberStatic() {
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setInstanceId(" dispatcher-0.eu_1 ");
    Map<String, Object> given = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "hookline-dispatcher");

    Map<String, Object> props = shared.groupMembership().consumerProps(given);

    assertThat(props).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "dispatcher-0.eu_1")
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "hookline-dispatcher");
    assertThat(given).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    assertThat(shared.getInstanceId()).isEqualTo("dispatcher-0.eu_1");
  }

  @Test
  void withoutOneMembershipIsDynamic() {
    HooklineConfiguration shared = new HooklineConfiguration();
    assertThat(shared.groupMembership().consumerProps(Map.of())).isEmpty();
    shared.setInstanceId("  ");
    assertThat(shared.groupMembership().instanceId()).isEmpty();
    assertThat(shared.getInstanceId()).isEmpty();
  }

  @Test
  void anIdKafkaWouldRefuseStopsStartUpNamingTheVariable() {
    HooklineConfiguration shared = new HooklineConfiguration();
    for (String bad : new String[] {"pod/1", "a b", "é", "x".repeat(201)}) {
      assertThatThrownBy(() -> shared.setInstanceId(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("HOOKLINE_INSTANCE_ID");
    }
  }
}
