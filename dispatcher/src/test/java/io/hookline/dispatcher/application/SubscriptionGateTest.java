package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's bookkeeping with a catch-up the test completes by hand: at most so many look-ups at a
 * time, each covering every batch passed before it started and none passed after, release in order
 * whatever order look-ups complete in, retries, never early; batches that ask for no look-up go at
 * once unless a held batch is before them.
 */
class SubscriptionGateTest {

  /** Every catch-up asked for, completed by the test. */
  static final class Sync implements SubscriptionSync {
    final List<CompletableFuture<Void>> asked = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> catchUp() {
      CompletableFuture<Void> f = new CompletableFuture<>();
      asked.add(f);
      return f;
    }

    CompletableFuture<Void> last() {
      return asked.get(asked.size() - 1);
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(5);

  final Sync sync = new Sync();
  final FatalFailure fatal = new FatalFailure();
  final SubscriptionGate gate = new SubscriptionGate(sync, fatal, DeliveryMetrics.NONE, 1);
  final Sync sync2 = new Sync();
  final SubscriptionGate gate2 = new SubscriptionGate(sync2, fatal, DeliveryMetrics.NONE, 2);
  final List<String> released = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    gate.close();
    gate2.close();
  }

  private void pass(String name, int records) {
    gate.pass(() -> released.add(name), records);
  }

  @Test
  void batchesPassedDuringALookUpWaitForTheNextOneWhichCoversThemAll() {
    pass("a", 2);
    assertThat(sync.asked).hasSize(1);
    pass("b", 1);
    pass("c", 3);
    assertThat(sync.asked).as("one look-up at a time").hasSize(1);
    assertThat(gate.held()).isEqualTo(6);

    sync.asked.get(0).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a")));
    await().atMost(WAIT).until(() -> sync.asked.size() == 2);
    assertThat(gate.held()).isEqualTo(4);
    pass("d", 1);
    assertThat(sync.asked).hasSize(2);

    sync.asked.get(1).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b", "c")));
    await().atMost(WAIT).until(() -> sync.asked.size() == 3);
    sync.asked.get(2).complete(null);
    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b", "c", "d")));
    assertThat(gate.held()).isZero();
    assertThat(gate.holds().batches()).isEqualTo(4);
    assertThat(sync.asked).hasSize(3);
  }

  private void passUnchecked(String name) {
    gate.pass(() -> released.add(name), 1, false);
  }

  @Test
  void aBatchThatAsksForNoLookUpIsDispatchedAtOnceWithoutOne() {
    passUnchecked("a");
    passUnchecked("b");

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b")));
    assertThat(sync.asked).as("look-ups").isEmpty();
    assertThat(gate.held()).isZero();
    assertThat(gate.holds().batches()).isEqualTo(2);
  }

  @Test
  void batchesThatAskForNoLookUpWaitBehindAHeldOneAndGoWithIt() {
    passUnchecked("a");
    await().atMost(WAIT).until(() -> released.equals(List.of("a")));
    pass("marked", 1);
    passUnchecked("b");
    passUnchecked("c");
    assertThat(sync.asked).as("one look-up, for the batch that asked").hasSize(1);
    assertThat(gate.held()).isEqualTo(3);
    assertThat(released).containsExactly("a");

    sync.asked.get(0).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "marked", "b", "c")));
    assertThat(sync.asked).as("no look-up for the batches behind it").hasSize(1);
    assertThat(gate.held()).isZero();
  }

  @Test
  void aBatchThatAsksForALookUpBehindUncheckedOnesWaitsForItsOwn() {
    pass("first", 1);
    passUnchecked("b");
    pass("second", 1); // a look-up is under way, started before this batch: it must not release it
    passUnchecked("c");

    sync.asked.get(0).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("first", "b")));
    await().atMost(WAIT).until(() -> sync.asked.size() == 2);
    assertThat(gate.held()).isEqualTo(2);
    sync.asked.get(1).complete(null);
    await().atMost(WAIT).until(() -> released.equals(List.of("first", "b", "second", "c")));
    assertThat(gate.held()).isZero();
  }

  private void pass2(String name) {
    gate2.pass(() -> released.add(name), 1);
  }

  @Test
  void aBatchPassedWhileALookUpIsUnderWayStartsASecondOneThatReleasesBothWithoutTheFirst() {
    pass2("a");
    pass2("b");
    assertThat(sync2.asked).as("a second look-up at once").hasSize(2);

    sync2.asked.get(1).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b")));
    sync2.asked.get(0).complete(null); // late, and covers nothing still held
    await().atMost(WAIT).until(() -> gate2.holds().batches() == 2);
    assertThat(released).containsExactly("a", "b");
    assertThat(sync2.asked).as("no look-up while nothing waits").hasSize(2);
    assertThat(gate2.held()).isZero();
  }

  @Test
  void aLookUpNeverReleasesABatchPassedAfterItStartedWhateverOrderLookUpsCompleteIn() {
    pass2("a");
    pass2("b");
    pass2("c"); // two under way: waits for the next one
    assertThat(sync2.asked).hasSize(2);

    sync2.asked.get(0).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a")));
    await().atMost(WAIT).until(() -> sync2.asked.size() == 3);
    pass2("d"); // the second and third are under way
    assertThat(sync2.asked).hasSize(3);
    assertThat(gate2.held()).isEqualTo(3);

    sync2.asked.get(2).complete(null); // started after b and c, before d

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b", "c")));
    await().atMost(WAIT).until(() -> sync2.asked.size() == 4);
    sync2.asked.get(1).complete(null); // covered a and b only
    await().atMost(WAIT).until(() -> gate2.held() == 1 && sync2.asked.size() == 4);
    assertThat(released).containsExactly("a", "b", "c");

    sync2.asked.get(3).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b", "c", "d")));
    assertThat(gate2.holds().lookups()).isEqualTo(4);
    assertThat(sync2.asked).hasSize(4);
  }

  @Test
  void aFailedLookUpIsRetriedWhileTheOtherOneStillReleasesWhatItCovers() {
    pass2("a");
    pass2("b");
    sync2.asked.get(0).completeExceptionally(new TimeoutException("broker unreachable"));
    await().atMost(WAIT).until(() -> sync2.asked.size() == 3); // the retry
    pass2("c");
    assertThat(released).isEmpty();

    sync2.asked.get(1).complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b")));
    sync2.asked.get(2).complete(null); // the retry started before c was passed
    await().atMost(WAIT).until(() -> sync2.asked.size() == 4);
    assertThat(released).containsExactly("a", "b");
    sync2.asked.get(3).complete(null);
    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b", "c")));
    assertThat(fatal.get()).isNull();
  }

  @Test
  void anAlreadyCaughtUpLookUpStillReleasesOnTheGateThreadNotTheCaller() {
    SubscriptionGate immediate = new SubscriptionGate(() -> CompletableFuture.completedFuture(null), fatal);
    List<String> threads = new CopyOnWriteArrayList<>();
    try {
      immediate.pass(() -> threads.add(Thread.currentThread().getName()), 1);
      await().atMost(WAIT).until(() -> threads.size() == 1);
      assertThat(threads.get(0)).isNotEqualTo(Thread.currentThread().getName());
    } finally {
      immediate.close();
    }
  }

  @Test
  void aFailedLookUpIsRetriedAndNothingIsReleasedBeforeOneSucceeds() {
    pass("a", 1);
    sync.asked.get(0).completeExceptionally(new TimeoutException("broker unreachable"));

    await().atMost(WAIT).until(() -> sync.asked.size() == 2);
    assertThat(released).isEmpty();
    pass("b", 1); // polled after the retry started: waits for the one after
    sync.last().completeExceptionally(new TimeoutException("still unreachable"));
    await().atMost(WAIT).until(() -> sync.asked.size() == 3);
    assertThat(released).isEmpty();
    assertThat(gate.held()).isEqualTo(2);

    sync.last().complete(null);

    await().atMost(WAIT).until(() -> released.equals(List.of("a", "b")));
    assertThat(fatal.get()).isNull();
  }

  @Test
  void subscriptionsThatStoppedForGoodAreFatalAndReleaseNothing() {
    pass("a", 1);

    sync.asked.get(0).completeExceptionally(new SubscriptionSync.Stopped("mirror failed", null));

    await().atMost(WAIT).until(() -> fatal.get() != null);
    assertThat(fatal.get()).isInstanceOf(SubscriptionSync.Stopped.class);
    assertThat(released).isEmpty();
    assertThat(gate.held()).isEqualTo(1);
  }
}
