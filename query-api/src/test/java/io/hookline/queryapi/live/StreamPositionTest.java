package io.hookline.queryapi.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPositionTest {

  @Test
  void itsTextIsTheBase36OffsetsOfEachPartitionAndReadsBack() {
    StreamPosition p = StreamPosition.of(100, 0, 47, Long.MAX_VALUE);

    assertThat(p.encode()).isEqualTo("2s.0.1b.1y2p0ij32e8e7");
    assertThat(StreamPosition.parse(p.encode())).isEqualTo(p);
  }

  @Test
  void partitionsItDoesNotNameAreAtTheirBeginning() {
    StreamPosition p = StreamPosition.parse("5");

    assertThat(p.next(0)).isEqualTo(5);
    assertThat(p.next(7)).isZero();
    assertThat(p).isEqualTo(StreamPosition.of(5, 0, 0));
    assertThat(p.isBehind(StreamPosition.of(5, 1))).isTrue();
    assertThat(StreamPosition.of(5, 1).isBehind(p)).isFalse();
    assertThat(p.max(StreamPosition.of(2, 9))).isEqualTo(StreamPosition.of(5, 9));
    assertThat(p.with(2, 4)).isEqualTo(StreamPosition.of(5, 0, 4));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1..2", ".", "-5", "1,2", "A", "abc!", "zzzzzzzzzzzzzz", "1 2"})
  void anythingElseIsRefused(String text) {
    assertThatThrownBy(() -> StreamPosition.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void moreThanAnyTopicsPartitionsIsRefused() {
    assertThatThrownBy(() -> StreamPosition.parse("0" + ".0".repeat(StreamPosition.MAX_PARTITIONS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions");
  }
}
