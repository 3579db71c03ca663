package io.hookline.dispatcher.adapter.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

  @Test
  void aFutureStillRunningAtItsDeadlineFailsWithATimeoutAndNotBefore() throws Exception {
    try (Deadlines deadlines = new Deadlines(Duration.ofMillis(300), Duration.ofMillis(10))) {
      long start = System.nanoTime();
      CompletableFuture<String> running = deadlines.watch(new CompletableFuture<>());

      ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> running.get(5, TimeUnit.SECONDS));

      assertThat(failed).hasCauseInstanceOf(TimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void aFutureFinishedInTimeKeepsItsResultAndLeavesTheQueue() throws Exception {
    try (Deadlines deadlines = new Deadlines(Duration.ofMillis(300), Duration.ofMillis(10))) {
      CompletableFuture<String> quick = deadlines.watch(new CompletableFuture<>());
      quick.complete("answer");

      await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.queued() == 0);
      assertThat(quick.get()).isEqualTo("answer");
    }
  }

  @Test
  void finishedFuturesBehindARunningOneWaitForItAndThenLeaveWithIt() {
    try (Deadlines deadlines = new Deadlines(Duration.ofMillis(400), Duration.ofMillis(10))) {
      CompletableFuture<String> hanging = deadlines.watch(new CompletableFuture<>());
      for (int i = 0; i < 100; i++) {
        deadlines.watch(new CompletableFuture<>()).complete("done");
      }
      CompletableFuture<String> later = deadlines.watch(new CompletableFuture<>());
      later.complete("answer");
      deadlines.sweep();
      assertThat(deadlines.queued()).isEqualTo(102); // held behind the running one

      await().atMost(Duration.ofSeconds(5)).until(hanging::isCompletedExceptionally);
      await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.queued() == 0);
      assertThat(later.join()).isEqualTo("answer");
    }
  }
}
