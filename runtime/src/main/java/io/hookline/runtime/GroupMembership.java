package io.hookline.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How this instance belongs to the consumer groups of its service: the same rules for every
 * service and every group member it runs.
 *
 * <p><b>Static membership</b> when an instance id is set ({@code HOOKLINE_INSTANCE_ID}): each group
 * member sends it as {@code group.instance.id}. An instance that crashed and starts again with the
 * same id gets its partitions back at once, with no rebalance and no wait for the session timeout
 * (45 s) that an unknown new member would sit out. Two running instances with one id fence each
 * other (the older one fails with {@code FencedInstanceIdException}), so the id must be unique per
 * running instance of a service and stable across its restarts: a StatefulSet pod name, a host
 * name, a fixed name per process. Unset: dynamic membership, as Kafka does by default.
 *
 * <p><b>Leaving on a clean stop</b>, static or not ({@link #leave(Consumer, Duration)}): the group
 * hands the partitions to the other members at once rather than after the session timeout. A
 * crash cannot leave; a static member that comes back in time takes its partitions back instead.
 */
public final class GroupMembership {

  /** What {@code group.instance.id} accepts, with room for a suffix such as Kafka Streams' thread index. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final GroupMembership DYNAMIC = new GroupMembership(null);

  private final String instanceId;

  private GroupMembership(String instanceId) {
    this.instanceId = instanceId;
  }

  /** Dynamic membership: no instance id. */
  public static GroupMembership dynamic() {
    return DYNAMIC;
  }

  /**
   * Static membership with {@code instanceId}, or dynamic when it is null or blank.
   *
   * @throws IllegalArgumentException naming {@code HOOKLINE_INSTANCE_ID} when the id has characters
   *     Kafka refuses or is longer than 200
   */
  public static GroupMembership of(String instanceId) {
    if (instanceId == null || instanceId.isBlank()) {
      return DYNAMIC;
    }
    String id = instanceId.strip();
    if (!SAFE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(HooklineConfiguration.PREFIX + ".instance-id (HOOKLINE_INSTANCE_ID) must be"
          + " 1 to 200 letters, digits, '.', '_' or '-', was '" + instanceId + "'");
    }
    return new GroupMembership(id);
  }

  /** The instance id, empty for dynamic membership. */
  public Optional<String> instanceId() {
    return Optional.ofNullable(instanceId);
  }

  /** {@code consumerProps} plus this instance's {@code group.instance.id}, if it has one; the input is not changed. */
  public Map<String, Object> consumerProps(Map<String, Object> consumerProps) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    if (instanceId != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return props;
  }

  /**
   * Closes {@code consumer} after leaving its group (static members too), waiting at most {@code
   * timeout} for the final commits and the leave request.
   */
  public static void leave(Consumer<?, ?> consumer, Duration timeout) {
    consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(timeout));
  }

  @Override
  public String toString() {
    return instanceId == null ? "dynamic membership" : "static membership as " + instanceId;
  }
}
