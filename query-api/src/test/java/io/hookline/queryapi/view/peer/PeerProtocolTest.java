package io.hookline.queryapi.view.peer;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.peer.FailedExecutionsPeer;
import io.hookline.schemas.AvroSerde;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What one instance sends another must read back as exactly what was sent, and nothing else. */
class PeerProtocolTest {

  private static final AvroSerde<FailedExecution> SERDE = AvroSerde.of(FailedExecution.class);

  @Test
  void aPageOfRecordsReadsBackEqualAndInOrder() {
    List<FailedExecution> page = List.of(failed("p", "w", "e2", 2_000L), failed("p", "w", "e1", 1_000L));

    assertThat(PeerProtocol.decode(FailedExecutionsPeer.encode(page), SERDE)).isEqualTo(page);
    assertThat(PeerProtocol.decode(FailedExecutionsPeer.encode(List.of()), SERDE)).isEmpty();
  }

  @Test
  void aTruncatedOrPaddedBodyIsRefused() {
    byte[] body = FailedExecutionsPeer.encode(List.of(failed("p", "w", "e1", 1_000L)));

    assertThatThrownBy(() -> PeerProtocol.decode(Arrays.copyOf(body, body.length - 1), SERDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerProtocol.decode(Arrays.copyOf(body, body.length + 1), SERDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerProtocol.decode(new byte[] {0, 0}, SERDE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theQueryOfAForwardedRequestReadsBackAsWritten() {
    FailedExecutionQuery query = FailedExecutionsPeer.query("w1", "5", "9223372036854775807",
        "conversation.created,chat.ended", "7", "offset:14");

    assertThat(query).isEqualTo(new FailedExecutionQuery("w1", 5, Long.MAX_VALUE,
        Set.of("conversation.created", "chat.ended"), 7, 3));
    assertThat(FailedExecutionsPeer.query("w1", "0", "1", null, "5", "offset:0").events()).isEmpty();
    assertThat(FailedExecutionsPeer.query("w1", "0", "1", null, "5", "after:fwE").start())
        .isEqualTo(new io.hookline.queryapi.view.PageStart.After(new byte[] {0x7f, 1}));
    assertThatThrownBy(() -> FailedExecutionsPeer.query("w1", "x", "1", null, "5", "offset:0"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("from_time");
    assertThatThrownBy(() -> FailedExecutionsPeer.query("w1", "0", "1", null, "0", "offset:0"))
        .isInstanceOf(InvalidFieldException.class);
    assertThatThrownBy(() -> FailedExecutionsPeer.query("w1", "0", "1", null, "5", "3"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("start");
  }

  @Test
  void internalPathsEscapeTheirSegments() {
    assertThat(PeerProtocol.webhookPath("my portal", "a/b", "failed-executions"))
        .isEqualTo("/internal/v1/my%20portal/webhooks/a%2Fb/failed-executions");
  }
}
