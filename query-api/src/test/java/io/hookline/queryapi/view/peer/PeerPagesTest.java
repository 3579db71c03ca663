package io.hookline.queryapi.view.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.Attempt;
import io.hookline.queryapi.AttemptSamples;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import io.hookline.schemas.AvroSerde;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A page and its start cross from one instance to another unchanged. */
class PeerPagesTest {

  private static final AvroSerde<Attempt> SERDE = AvroSerde.of(Attempt.class);
  private static final byte[] POSITION = {0x7f, 0, (byte) 0xff, 'x'};

  @Test
  void aPageComesBackWithItsRecordsPositionsAndTotal() {
    List<Attempt> items = List.of(AttemptSamples.attempt("zylker", "w", "e1", AttemptStatus.SENT, 1_000L),
        AttemptSamples.attempt("zylker", "w", "e2", AttemptStatus.ERROR, 900L));
    Page<Attempt> page = new Page<>(items, Optional.of(new PageStart.After(POSITION)),
        Optional.of(new PageStart.Before(new byte[] {1})), OptionalLong.of(42));

    Page<Attempt> back = PeerPages.decode(PeerPages.encode(page, SERDE), SERDE);

    assertThat(back).isEqualTo(page);
    Page<Attempt> bare = new Page<>(List.of(), Optional.empty(), Optional.empty(), OptionalLong.empty());
    assertThat(PeerPages.decode(PeerPages.encode(bare, SERDE), SERDE)).isEqualTo(bare);
  }

  @Test
  void aTruncatedOrForeignBodyIsRefused() {
    byte[] body = PeerPages.encode(new Page<>(List.of(), Optional.of(new PageStart.After(POSITION)), Optional.empty(),
        OptionalLong.of(1)), SERDE);

    assertThatThrownBy(() -> PeerPages.decode(Arrays.copyOf(body, 5), SERDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerPages.decode(new byte[] {9, 0, 0}, SERDE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyStartSurvivesTheQueryParameter() {
    for (PageStart start : List.of(PageStart.offset(0), PageStart.offset(120), new PageStart.After(POSITION),
        new PageStart.Before(POSITION))) {
      String value = PeerPages.startParameter(start);
      assertThat(value).matches("[a-z]+:[A-Za-z0-9_-]+");
      assertThat(PeerPages.start(value)).isEqualTo(start);
    }
    for (String bad : new String[] {null, "", "offset:-1", "offset:x", "after:%%", "sideways:AA"}) {
      assertThatThrownBy(() -> PeerPages.start(bad)).as(String.valueOf(bad))
          .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("start"));
    }
  }
}
