package io.hookline.queryapi.live;

import java.util.function.Predicate;

/**
 * Reads a stretch of the failure log again, for a stream that resumes behind the live tail.
 * Implemented over Kafka ({@code live.kafka}).
 */
public interface FailureLogReader {

  /**
   * Hands {@code sink} every change from {@code from} up to (not including) {@code until}, in log
   * order within each partition, for the partitions {@code until} names; stops early when
   * {@code sink} answers false. Changes older than the failed-executions view keeps may be left out.
   *
   * @throws RuntimeException when the log cannot be read in time
   */
  void read(StreamPosition from, StreamPosition until, Predicate<PositionedChange> sink);
}
