package io.hookline.queryapi.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hookline.queryapi.live.domain.LiveChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fan-out of live changes to streams, with an in-memory log in place of the dead-letter topic. */
class LiveFailureStreamsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NO_HEARTBEAT = Duration.ofHours(1);

  /** Partition 0 of the log: the change at offset i resolves execution "x" + i of portal p. */
  private final List<PositionedChange> log = new CopyOnWriteArrayList<>();
  private final CountDownLatch readAgainMayFinish = new CountDownLatch(1);
  private final FailureLogReader reader = (from, until, sink) -> {
    for (PositionedChange c : log) {
      if (c.offset() >= from.next(c.partition()) && c.offset() < until.next(c.partition()) && !sink.test(c)) {
        return;
      }
    }
    try {
      readAgainMayFinish.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };
  private LiveFailureStreams streams;

  @AfterEach
  void close() {
    streams.close();
  }

  private static PositionedChange change(String portal, long offset) {
    return new PositionedChange(0, offset, new LiveChange.Resolution(portal, "w", "x" + offset));
  }

  /** Writes the change at the log's next offset, as the tail would read it. */
  private PositionedChange append(String portal) {
    PositionedChange c = change(portal, log.size());
    log.add(c);
    return c;
  }

  private CollectingClient subscribe(String portal, StreamPosition from) {
    CollectingClient c = new CollectingClient();
    streams.open(portal, from).subscribe(c);
    return c;
  }

  @Test
  void aResumedStreamReadsTheGapAgainThenGoesLiveWithoutGapOrDuplicate() {
    streams = new LiveFailureStreams(10, 100, NO_HEARTBEAT, reader);
    for (int i = 0; i < 5; i++) {
      append(i % 2 == 0 ? "p" : "q");
    }
    streams.tailStartsAt(StreamPosition.of(5));

    CollectingClient client = subscribe("p", StreamPosition.of(1)).takeAll();
    // Published while the gap is read again: held, then sent after it.
    streams.publish(append("p"));
    streams.publish(append("q"));
    readAgainMayFinish.countDown();
    await().atMost(WAIT).until(() -> client.items.size() >= 4);
    streams.publish(append("p"));

    await().atMost(WAIT).until(() -> client.items.size() >= 5);
    assertThat(client.items).containsExactly("@1", "x2@3", "x4@5", "x5@6", "x7@8");
  }

  @Test
  void aStreamAheadOfTheTailGetsNothingTwice() {
    streams = new LiveFailureStreams(10, 100, NO_HEARTBEAT, reader);
    streams.tailStartsAt(StreamPosition.of(0));

    CollectingClient client = subscribe("p", StreamPosition.of(2)).takeAll();
    streams.publish(append("p"));
    streams.publish(append("p"));
    streams.publish(append("p"));

    await().atMost(WAIT).until(() -> client.items.size() >= 2);
    assertThat(client.items).containsExactly("@2", "x2@3");
  }

  @Test
  void aClientThatTakesNothingIsClosedAndTheOthersGoOn() {
    streams = new LiveFailureStreams(10, 3, NO_HEARTBEAT, reader);
    streams.tailStartsAt(StreamPosition.of(0));
    CollectingClient slow = subscribe("p", null);
    CollectingClient fast = subscribe("p", null).takeAll();

    for (int i = 0; i < 5; i++) {
      streams.publish(append("p"));
    }

    assertThat(streams.openStreams()).as("the slow stream is closed at once").isEqualTo(1);
    await().atMost(WAIT).until(() -> fast.items.size() == 6);
    assertThat(fast.ended).isFalse();
    slow.takeAll();
    await().atMost(WAIT).until(slow.ended::get);
    assertThat(slow.items).as("what fitted, then the end; its client resumes from x1")
        .containsExactly("@0", "x0@1", "x1@2");
  }

  @Test
  void moreStreamsThanTheMaximumAreRefusedUntilOneEnds() {
    streams = new LiveFailureStreams(2, 10, NO_HEARTBEAT, reader);
    streams.tailStartsAt(StreamPosition.of(0));
    CollectingClient first = subscribe("p", null).takeAll();
    subscribe("p", null).takeAll();

    assertThatThrownBy(() -> streams.open("p", null)).isInstanceOf(LiveStreamsFullException.class);
    first.cancel();
    assertThat(streams.openStreams()).isEqualTo(1);
    assertThat(streams.open("p", null)).isNotNull();
  }

  @Test
  void heartbeatsCarryThePositionAndClosingEndsEveryStream() {
    streams = new LiveFailureStreams(10, 10, Duration.ofMillis(50), reader);
    streams.tailStartsAt(StreamPosition.of(0));
    CollectingClient client = subscribe("p", null).takeAll();
    streams.publish(append("q"));

    await().atMost(WAIT).until(() -> client.items.contains("@1"));
    streams.close();
    await().atMost(WAIT).until(client.ended::get);
  }
}
