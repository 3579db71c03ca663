package io.hookline.queryapi.attempts.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.view.PageStart;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttemptsPeerTest {

  private final AttemptsPeer peer = new AttemptsPeer(null);

  @Test
  void theExecutionFilterTravelsToTheInstanceThatAnswers() {
    AttemptQuery one = new AttemptQuery("w", 0, 10, Set.of(AttemptStatus.SENT), Set.of(), true, 10,
        PageStart.offset(0), "e1");

    Map<String, String> sent = peer.filters(one);

    assertThat(sent).containsEntry("execution_id", "e1");
    assertThat(peer.read("w", sent::get, 10, PageStart.offset(0))).isEqualTo(one);
    AttemptQuery all = new AttemptQuery("w", 0, 10, Set.of(), Set.of(), false, 10, PageStart.offset(0));
    assertThat(peer.read("w", peer.filters(all)::get, 10, PageStart.offset(0)).executionId()).isNull();
  }
}
