package io.hookline.retryscheduler;

import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The retry scheduler's own counts ({@code SchedulerMetrics}) and views as Micrometer meters, read
 * when Prometheus scrapes (nothing is counted twice): retries pending in memory, partitions paused
 * and assigned, records read and released, transactions committed and aborted, invalid records.
 * The release lateness histogram is {@code MicrometerReleaseLateness}.
 */
final class SchedulerMeters {

  private SchedulerMeters() {}

  static void bind(MeterRegistry registry, RetryScheduler scheduler) {
    Gauge.builder("hookline.retries.pending", scheduler, RetryScheduler::pendingRecords)
        .description("Retries and parked executions read and held in memory until due, not released yet")
        .register(registry);
    Gauge.builder("hookline.retry.partitions.paused", scheduler, RetryScheduler::pausedPartitions)
        .description("Retry partitions paused because they hold their read-ahead, or after an aborted transaction")
        .register(registry);
    Gauge.builder("hookline.retry.partitions.assigned", scheduler, s -> s.assignedPartitions().size())
        .description("Retry partitions this instance owns")
        .register(registry);
    FunctionCounter.builder("hookline.retry.records.read", scheduler, RetryScheduler::recordsRead)
        .description("Records read from the retry and parked topics (a record read again counts again)")
        .register(registry);
    FunctionCounter.builder("hookline.retry.records.released", scheduler, RetryScheduler::recordsReleased)
        .description("Retries and parked executions released to the redeliveries topic")
        .register(registry);
    FunctionCounter.builder("hookline.retry.transactions", scheduler, RetryScheduler::committedTransactions)
        .description("Release transactions, by result")
        .tag("result", "committed")
        .register(registry);
    FunctionCounter.builder("hookline.retry.transactions", scheduler, RetryScheduler::abortedTransactions)
        .description("Release transactions, by result")
        .tag("result", "aborted")
        .register(registry);
    FunctionCounter.builder("hookline.retry.invalid.records", scheduler, RetryScheduler::invalidRecords)
        .description("Records of the retry topics that were not retry requests, copied to the invalid-records topic")
        .register(registry);
  }
}
