package io.hookline.queryapi.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.view.PageStart;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttemptQueryTest {

  @Test
  void anExecutionFilterLetsOnlyThatExecutionsAttemptsThroughAndBindsCursors() {
    AttemptQuery all = new AttemptQuery("w", 0, 10, Set.of(), Set.of(), true, 10, PageStart.offset(0));
    AttemptQuery one = new AttemptQuery("w", 0, 10, Set.of(), Set.of(), true, 10, PageStart.offset(0), "e1");

    assertThat(all.matches(AttemptStatus.ERROR, "ev", "e2")).isTrue();
    assertThat(one.matches(AttemptStatus.ERROR, "ev", "e1")).isTrue();
    assertThat(one.matches(AttemptStatus.ERROR, "ev", "e2")).isFalse();
    assertThat(one.binding()).isNotEqualTo(all.binding());
  }
}
