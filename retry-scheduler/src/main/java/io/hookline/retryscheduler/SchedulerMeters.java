package io.hookline.retryscheduler;

import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * The retry scheduler's own counts ({@code SchedulerMetrics}) and views as Micrometer meters, read
 * when Prometheus scrapes (nothing is counted twice): retries pending in memory, partitions paused
 * and assigned, records read and released, transactions committed and aborted, invalid records.
 * The release lateness histogram is {@code MicrometerReleaseLateness}.
 */
final class SchedulerMeters {

  private SchedulerMeters() {}

  static void bind(MeterRegistry registry, RetryScheduler scheduler) {
    gauge(registry, scheduler, "hookline.retries.pending",
        "Retries and parked executions read and held in memory until due, not released yet",
        RetryScheduler::pendingRecords);
    gauge(registry, scheduler, "hookline.retry.partitions.paused",
        "Retry partitions paused because they hold their read-ahead, or after an aborted transaction",
        RetryScheduler::pausedPartitions);
    gauge(registry, scheduler, "hookline.retry.partitions.assigned", "Retry partitions this instance owns",
        s -> s.assignedPartitions().size());
    counter(registry, scheduler, "hookline.retry.records.read",
        "Records read from the retry and parked topics (a record read again counts again)", RetryScheduler::recordsRead,
        Tags.empty());
    counter(registry, scheduler, "hookline.retry.records.released",
        "Retries and parked executions released to the redeliveries topic", RetryScheduler::recordsReleased, Tags.empty());
    counter(registry, scheduler, "hookline.retry.transactions", "Release transactions, by result",
        RetryScheduler::committedTransactions, Tags.of("result", "committed"));
    counter(registry, scheduler, "hookline.retry.transactions", "Release transactions, by result",
        RetryScheduler::abortedTransactions, Tags.of("result", "aborted"));
    counter(registry, scheduler, "hookline.retry.invalid.records",
        "Records of the retry topics that were not retry requests, copied to the invalid-records topic",
        RetryScheduler::invalidRecords, Tags.empty());
  }

  private static void gauge(MeterRegistry registry, RetryScheduler scheduler, String name, String description,
      ToDoubleFunction<RetryScheduler> value) {
    Gauge.builder(name, scheduler, value).description(description).register(registry);
  }

  private static void counter(MeterRegistry registry, RetryScheduler scheduler, String name, String description,
      ToDoubleFunction<RetryScheduler> count, Tags tags) {
    FunctionCounter.builder(name, scheduler, count).description(description).tags(tags).register(registry);
  }
}
