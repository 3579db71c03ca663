package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The warm-up's bounds: its events, its budget and its window, whatever its feed does. */
class JitWarmUpTest {

  private static final Duration LONG = Duration.ofMinutes(5);

  @Test
  void itStopsAfterItsEventsOnceEachOneIsFinished() {
    JitWarmUp.Result r = new JitWarmUp((offset, record) -> {}, 1_000, 1_000, LONG, 8, LONG).run();

    assertThat(r.end()).isEqualTo(JitWarmUp.End.EVENTS);
    assertThat(r.submitted()).isEqualTo(1_000);
    assertThat(r.finished()).isEqualTo(1_000);
  }

  @Test
  void itNeverHasMoreThanItsWindowUnfinishedAndWaitsForThemAtTheEnd() throws Exception {
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    List<Long> unfinishedSeen = new CopyOnWriteArrayList<>();
    long[] unfinished = {0};
    try {
      JitWarmUp.Result r = new JitWarmUp((offset, record) -> {
        record.retain(); // an execution in flight, finished on another thread
        synchronized (unfinished) {
          unfinishedSeen.add(++unfinished[0]);
        }
        later.schedule(() -> {
          synchronized (unfinished) {
            unfinished[0]--;
          }
          record.release();
        }, 1, TimeUnit.MILLISECONDS);
      }, 200, 200, LONG, 4, LONG).run();

      assertThat(r.finished()).isEqualTo(200);
      assertThat(unfinishedSeen).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void itEndsAtItsBudgetAndDropsWhatDidNotFinishByTheDrainTimeout() {
    List<PendingRecord> held = new CopyOnWriteArrayList<>();
    long started = System.nanoTime();

    JitWarmUp.Result r = new JitWarmUp((offset, record) -> {
      record.retain(); // never finished: a receiver that does not answer
      held.add(record);
    }, 0, Long.MAX_VALUE, Duration.ofMillis(300), 2, Duration.ofMillis(200)).run();

    assertThat(r.end()).isEqualTo(JitWarmUp.End.BUDGET);
    assertThat(r.submitted()).isEqualTo(2);
    assertThat(r.finished()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(held).allSatisfy(p -> assertThat(p.abandoned()).isTrue());
  }

  @Test
  void stopEndsItEarly() {
    JitWarmUp[] warmUp = new JitWarmUp[1];
    warmUp[0] = new JitWarmUp((offset, record) -> {
      if (offset == 9) {
        warmUp[0].stop();
      }
    }, 0, Long.MAX_VALUE, LONG, 8, LONG);

    JitWarmUp.Result r = warmUp[0].run();

    assertThat(r.end()).isEqualTo(JitWarmUp.End.STOPPED);
    assertThat(r.submitted()).isEqualTo(10);
  }
}
