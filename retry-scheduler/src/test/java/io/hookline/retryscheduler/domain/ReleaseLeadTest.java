package io.hookline.retryscheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReleaseLeadTest {

  private final ReleaseLead lead = ReleaseLead.of(Duration.ofMillis(500));

  @Test
  void aRecordIsHandedOverTheLeadBeforeItIsDue() {
    assertThat(lead.handOffAt(10_000)).isEqualTo(9_500);
    assertThat(lead.handOffAt(OptionalLong.of(10_000))).hasValue(9_500);
    assertThat(lead.handOffAt(OptionalLong.empty())).isEmpty();
    assertThat(lead.horizon(9_500)).isEqualTo(10_000);
  }

  @Test
  void aRecordDueAtOnceStaysDueAtOnce() {
    assertThat(lead.handOffAt(PendingRetries.DUE_AT_ONCE)).isEqualTo(PendingRetries.DUE_AT_ONCE);
  }

  @Test
  void pendingRecordsWithinTheLeadAreTakenAndNoOthers() {
    PendingRetries<String, String> pending = new PendingRetries<>();
    pending.add("p0", "due-10.0s", 10_000);
    pending.add("p0", "due-10.6s", 10_600);
    pending.add("p1", "due-10.4s", 10_400);

    assertThat(pending.takeDue(lead.horizon(9_499))).isEmpty();
    assertThat(pending.takeDue(lead.horizon(9_900)))
        .isEqualTo(Map.of("p0", List.of("due-10.0s"), "p1", List.of("due-10.4s")));
    assertThat(lead.handOffAt(pending.nextDueAt())).hasValue(10_100);
  }

  @Test
  void noLeadHandsOverAtTheDueTimeAndANegativeOneIsRefused() {
    assertThat(ReleaseLead.NONE.handOffAt(10_000)).isEqualTo(10_000);
    assertThat(ReleaseLead.NONE.horizon(10_000)).isEqualTo(10_000);
    assertThatThrownBy(() -> new ReleaseLead(-1)).hasMessageContaining("must not be negative");
  }
}
