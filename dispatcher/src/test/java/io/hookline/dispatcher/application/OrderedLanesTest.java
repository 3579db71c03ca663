package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.dispatcher.domain.Event;
import io.hookline.dispatcher.domain.Execution;
import org.junit.jupiter.api.Test;

class OrderedLanesTest {

  private final OrderedLanes lanes = new OrderedLanes();
  private int events;

  private Execution read(int partition, long offset, String key, String webhookId) {
    Event event = new Event("e" + (++events), "zylker", null, "order.created", null, null, null, null, "{}");
    return Execution.first(event, webhookId).ordered(offset);
  }

  @Test
  void onlyTheHeadOfAKeyIsAttemptedAndOtherKeysAndWebhooksAreIndependent() {
    Execution a1 = read(0, 0, "a", "w");
    Execution a2 = read(0, 1, "a", "w");
    assertThat(lanes.read(0, "a", a1)).isEqualTo(OrderedLanes.Read.ATTEMPT);
    assertThat(lanes.read(0, "a", a2)).isEqualTo(OrderedLanes.Read.WAIT);
    assertThat(lanes.read(0, "b", read(0, 2, "b", "w"))).isEqualTo(OrderedLanes.Read.ATTEMPT);
    assertThat(lanes.read(0, "a", read(0, 3, "a", "v"))).isEqualTo(OrderedLanes.Read.ATTEMPT);
    assertThat(lanes.held()).isEqualTo(4);

    lanes.decided(a1, true);
    assertThat(lanes.ended(a1)).isEqualTo(a2);
    assertThat(lanes.ended(a1)).as("once").isNull();
    lanes.decided(a2, true);
    assertThat(lanes.ended(a2)).isNull();
    assertThat(lanes.held()).isEqualTo(2);
  }

  @Test
  void aWaitingHeadTakesOnlyItsOwnRedeliveryAndOnlyOnce() {
    Execution a1 = read(0, 5, "a", "w");
    lanes.read(0, "a", a1);
    assertThat(lanes.redelivered(a1)).as("in flight: stale").isEqualTo(-1);
    lanes.decided(a1, false);
    assertThat(lanes.ended(a1)).as("not ended").isNull();
    assertThat(lanes.redelivered(a1.ordered(4))).as("another position: stale").isEqualTo(-1);
    assertThat(lanes.redelivered(a1)).isZero();
    assertThat(lanes.redelivered(a1)).as("in flight again").isEqualTo(-1);
    lanes.decided(a1, true);
    assertThat(lanes.redelivered(a1)).as("ending").isEqualTo(-1);
  }

  @Test
  void duplicatesAreRecognisedWhileTheirFirstCopyIsHeld() {
    Execution a1 = read(0, 0, "a", "w");
    lanes.read(0, "a", a1);
    assertThat(lanes.read(0, "a", a1.ordered(1))).isEqualTo(OrderedLanes.Read.DUPLICATE);
    lanes.decided(a1, true);
    lanes.ended(a1);
    assertThat(lanes.read(0, "a", a1.ordered(2))).as("after it ended: a re-send").isEqualTo(OrderedLanes.Read.ATTEMPT);
  }

  @Test
  void revokingAPartitionForgetsOnlyItsLanes() {
    Execution p0 = read(0, 0, "a", "w");
    Execution p1 = read(1, 0, "a", "v");
    lanes.read(0, "a", p0);
    lanes.read(0, "a", read(0, 1, "a", "w"));
    lanes.read(1, "a", p1);
    lanes.revoked(0);
    assertThat(lanes.held()).isEqualTo(1);
    lanes.decided(p0, true);
    assertThat(lanes.ended(p0)).isNull();
    lanes.decided(p1, false);
    assertThat(lanes.redelivered(p1)).isEqualTo(1);
  }
}
