package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventPatternTest {

  @Test
  void exactNamesAndWildcardsAreValid() {
    assertThat(EventPattern.problem("order.created")).isNull();
    assertThat(EventPattern.problem("order.*")).isNull();
    assertThat(EventPattern.problem("order.item.*")).isNull();
    assertThat(EventPattern.problem("*")).isNull();
  }

  @Test
  void aStarAnywhereElseIsRefused() {
    assertThat(EventPattern.problem("or*der")).isNotNull();
    assertThat(EventPattern.problem("order*")).isNotNull();
    assertThat(EventPattern.problem("*.created")).isNotNull();
    assertThat(EventPattern.problem(".*")).isNotNull();
    assertThat(EventPattern.problem("order.**")).isNotNull();
    assertThat(EventPattern.problem("**")).isNotNull();
  }

  @Test
  void aTrailingWildcardSpansFurtherSegmentsButNotTheBareOrLongerPrefix() {
    assertThat(EventPattern.matches("order.*", "order.created")).isTrue();
    assertThat(EventPattern.matches("order.*", "order.item.added")).isTrue();
    assertThat(EventPattern.matches("order.*", "order")).isFalse();
    assertThat(EventPattern.matches("order.*", "orders.created")).isFalse();
    assertThat(EventPattern.matches("*", "anything")).isTrue();
    assertThat(EventPattern.matches("order.created", "order.created")).isTrue();
    assertThat(EventPattern.matches("order.created", "order.created.x")).isFalse();
  }
}
