package io.hookline.retryscheduler;

import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;

/** A retry scheduler started in-process as the application starts it, with test settings. */
final class SchedulerInstance implements AutoCloseable {

  private final ApplicationContext context;

  private SchedulerInstance(ApplicationContext context) {
    this.context = context;
  }

  static SchedulerInstance start(KafkaBroker broker, String prefix, int partitions, String delays, String groupId, String transactionalId) {
    return start(broker, prefix, partitions, delays, groupId, transactionalId, Map.of());
  }

  /** As above, with further {@code hookline.*} settings. */
  static SchedulerInstance start(
      KafkaBroker broker, String prefix, int partitions, String delays, String groupId, String transactionalId,
      Map<String, Object> settings) {
    Map<String, Object> props = new HashMap<>();
    props.put("hookline.kafka-bootstrap-servers", broker.bootstrapServers());
    props.put("hookline.topic-prefix", prefix);
    props.put("hookline.topic-partitions", partitions);
    props.put("hookline.retry-delays", delays);
    props.put("hookline.scheduler-group-id", groupId);
    props.put("hookline.scheduler-transactional-id", transactionalId);
    props.put("hookline.scheduler-metrics-log-interval", "2s");
    // The tests of holding and releasing measure against the due time itself; the release lead has
    // a test of its own.
    props.put("hookline.scheduler-release-lead", "0ms");
    props.putAll(settings);
    return new SchedulerInstance(ApplicationContext.run(props));
  }

  RetryScheduler scheduler() {
    return context.getBean(RetryScheduler.class);
  }

  ApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    if (context.isRunning()) {
      context.close();
    }
  }
}
