package io.hookline.queryapi.view.peer;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.kafka.FailedExecutionRecords;
import io.hookline.queryapi.failedexecutions.peer.FailedExecutionsPeer;
import io.hookline.schemas.AvroSerde;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What one instance sends another must read back as exactly what was sent, and nothing else. */
class PeerProtocolTest {

  private static final AvroSerde<FailedExecution> SERDE = AvroSerde.of(FailedExecution.class);
  private static final PeerRecords<io.hookline.queryapi.failedexecutions.domain.FailedExecution, FailedExecution>
      RECORDS = PeerRecords.of(FailedExecution.class, FailedExecutionRecords::toAvro, FailedExecutionRecords::fromAvro);
  private static final FailedExecutionsPeer PEER = new FailedExecutionsPeer(null);

  @Test
  void aPageOfRecordsReadsBackEqualAndInOrder() {
    List<FailedExecution> page = List.of(failed("p", "w", "e2", 2_000L), failed("p", "w", "e1", 1_000L));
    var entries = page.stream().map(FailedExecutionRecords::fromAvro).toList();

    assertThat(PeerProtocol.decode(PeerProtocol.encode(page, SERDE), SERDE)).isEqualTo(page);
    assertThat(RECORDS.decode(RECORDS.encode(entries))).isEqualTo(entries);
    assertThat(RECORDS.decode(RECORDS.encode(List.of()))).isEmpty();
  }

  @Test
  void aTruncatedOrPaddedBodyIsRefused() {
    byte[] body = PeerProtocol.encode(List.of(failed("p", "w", "e1", 1_000L)), SERDE);

    assertThatThrownBy(() -> PeerProtocol.decode(Arrays.copyOf(body, body.length - 1), SERDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerProtocol.decode(Arrays.copyOf(body, body.length + 1), SERDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerProtocol.decode(new byte[] {0, 0}, SERDE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theQueryOfAForwardedRequestReadsBackAsWritten() {
    FailedExecutionQuery query = query("w1", "5", "9223372036854775807", "conversation.created,chat.ended", "7",
        "offset:14");

    assertThat(query).isEqualTo(new FailedExecutionQuery("w1", 5, Long.MAX_VALUE,
        Set.of("conversation.created", "chat.ended"), 7, 3));
    assertThat(query("w1", "0", "1", null, "5", "offset:0").events()).isEmpty();
    assertThat(query("w1", "0", "1", null, "5", "after:fwE").start())
        .isEqualTo(new io.hookline.queryapi.view.PageStart.After(new byte[] {0x7f, 1}));
    assertThatThrownBy(() -> query("w1", "x", "1", null, "5", "offset:0"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("from_time");
    assertThatThrownBy(() -> query("w1", "0", "1", null, "0", "offset:0"))
        .isInstanceOf(InvalidFieldException.class);
    assertThatThrownBy(() -> query("w1", "0", "1", null, "5", "3"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("start");
  }

  /** The query a forwarded request with these parameters (null: absent) asks. */
  private static FailedExecutionQuery query(String webhookId, String fromTime, String toTime, String events,
      String limit, String start) {
    Map<String, String> parameters = new HashMap<>();
    parameters.put("from_time", fromTime);
    parameters.put("to_time", toTime);
    parameters.put("events", events);
    parameters.put("limit", limit);
    parameters.put(PeerPages.START, start);
    return PEER.query(webhookId, parameters::get);
  }

  @Test
  void internalPathsEscapeTheirSegments() {
    assertThat(PeerProtocol.webhookPath("my portal", "a/b", "failed-executions"))
        .isEqualTo("/internal/v1/my%20portal/webhooks/a%2Fb/failed-executions");
  }
}
