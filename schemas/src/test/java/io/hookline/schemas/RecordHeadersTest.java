package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain-text headers Hookline puts on dead-letter and invalid records, as Kafka tools show them. */
class RecordHeadersTest {

  static {
    // Avro reads its trusted packages once, when its first record class loads; this test builds
    // records without a serde (which installs them), and may run first in this JVM.
    TrustedAvroPackages.install();
  }

  private static Map<String, String> text(Map<String, byte[]> headers) {
    Map<String, String> text = new LinkedHashMap<>();
    headers.forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
    return text;
  }

  private static FailedExecution.Builder failed() {
    return FailedExecution.newBuilder().setExecutionId("x1").setWebhookId("w1").setPortal("zylker").setUrl("http://hooks.test")
        .setNumberOfRetries(3).setFirstExecutionTime(1L).setLastExecutionTime(2L)
        .setEvent(Event.newBuilder().setId("e1").setPortal("zylker").setEvent("order.failed").setEventTime(1L)
            .setPayload("{}").build());
  }

  @Test
  void deadLetterHeadersRepeatTheEssentialsInAStableOrder() {
    FailedExecution f = failed().setState(FailedExecutionState.FAILED).setLastHttpStatus(500).setErrorCode("HTTP_ERROR")
        .build();

    assertThat(text(DeadLetterHeaders.of(f))).containsExactly(
        Map.entry(DeadLetterHeaders.EXECUTION_ID, "x1"),
        Map.entry(DeadLetterHeaders.PORTAL, "zylker"),
        Map.entry(DeadLetterHeaders.EVENT, "order.failed"),
        Map.entry(DeadLetterHeaders.STATE, "FAILED"),
        Map.entry(DeadLetterHeaders.ERROR_CODE, "HTTP_ERROR"),
        Map.entry(DeadLetterHeaders.HTTP_STATUS, "500"),
        Map.entry(DeadLetterHeaders.NUMBER_OF_RETRIES, "3"));
  }

  @Test
  void absentDeadLetterValuesAreLeftOut() {
    FailedExecution resolved = failed().setState(FailedExecutionState.RESOLVED).build();

    assertThat(DeadLetterHeaders.of(resolved)).doesNotContainKeys(DeadLetterHeaders.ERROR_CODE, DeadLetterHeaders.HTTP_STATUS)
        .containsKey(DeadLetterHeaders.STATE);
  }

  @Test
  void invalidRecordHeadersAreAlwaysPresentANullBeingEmpty() {
    assertThat(text(InvalidRecordHeaders.of("MALFORMED_JSON", null, "hookline.events", 2, 41L))).containsExactly(
        Map.entry(InvalidRecordHeaders.REASON, "MALFORMED_JSON"),
        Map.entry(InvalidRecordHeaders.MESSAGE, ""),
        Map.entry(InvalidRecordHeaders.SOURCE_TOPIC, "hookline.events"),
        Map.entry(InvalidRecordHeaders.SOURCE_PARTITION, "2"),
        Map.entry(InvalidRecordHeaders.SOURCE_OFFSET, "41"));
  }
}
