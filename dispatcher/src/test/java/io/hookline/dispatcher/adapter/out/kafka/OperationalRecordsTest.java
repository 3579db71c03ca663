package io.hookline.dispatcher.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.OperationalEvent;
import io.hookline.dispatcher.adapter.in.kafka.OperationalEventsRelay;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.EndpointLifecycle;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.schemas.AvroSerde;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher's operational events as Avro records and as the JSON the operator receives; ids derived from their cause. */
class OperationalRecordsTest {

  static final Webhook WEBHOOK = new Webhook("42", "zylker", "https://example.com/hook", List.of("e"), true, List.of());
  static final long NOW = 1_700_000_000_000L;

  @Test
  void anExhaustedExecutionCarriesItsIdRetriesAndLastFailure() {
    var failed = new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, 500, "HTTP 500", null);
    var event = io.hookline.dispatcher.domain.OperationalEvent.exhausted(WEBHOOK, "exec-1", 4, 3, failed, NOW);

    OperationalEvent avro = roundTrip(OperationalRecords.toAvro(event));

    assertThat(avro.getType()).isEqualTo("execution.exhausted");
    assertThat(avro.getWebhookId()).isEqualTo("42");
    assertThat(avro.getPortal()).isEqualTo("zylker");
    assertThat(avro.getUrl()).isEqualTo("https://example.com/hook");
    assertThat(avro.getFailedExecutionId()).isEqualTo("exec-1");
    assertThat(avro.getNumberOfRetries()).isEqualTo(3);
    assertThat(avro.getHttpStatus()).isEqualTo(500);
    assertThat(avro.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(avro.getOccurredAt()).isEqualTo(NOW);
    assertThat(avro.getId())
        .as("the same attempt exhausted again (a record processed again) has the same id")
        .isEqualTo(io.hookline.dispatcher.domain.OperationalEvent.exhausted(WEBHOOK, "exec-1", 4, 3, failed, NOW + 5).id())
        .isNotEqualTo(io.hookline.dispatcher.domain.OperationalEvent.exhausted(WEBHOOK, "exec-1", 5, 4, failed, NOW).id());
  }

  @Test
  void aDisabledEndpointSaysWhyAndAsJson() throws Exception {
    var why = new EndpointLifecycle.Disable("the endpoint answered 410 Gone", 410, null);
    var event = io.hookline.dispatcher.domain.OperationalEvent.disabled(WEBHOOK, why, "exec-2", 1, "HTTP_ERROR", NOW);

    OperationalEvent avro = roundTrip(OperationalRecords.toAvro(event));
    JsonNode json = new ObjectMapper().readTree(OperationalEventsRelay.json(avro));

    assertThat(avro.getType()).isEqualTo("endpoint.disabled");
    assertThat(avro.getEnabled()).isFalse();
    assertThat(json.get("id").asText()).isEqualTo(event.id());
    assertThat(json.get("type").asText()).isEqualTo("endpoint.disabled");
    assertThat(json.get("webhook_id").asText()).isEqualTo("42");
    assertThat(json.get("reason").asText()).isEqualTo("the endpoint answered 410 Gone");
    assertThat(json.get("http_status").asInt()).isEqualTo(410);
    assertThat(json.get("failed_execution_id").asText()).isEqualTo("exec-2");
    assertThat(json.get("occurred_at").asLong()).isEqualTo(NOW);
    assertThat(json.get("consecutive_failures").isNull()).isTrue();
  }

  @Test
  void breakerEventsCountTheFailures() {
    OperationalEvent failing = OperationalRecords.toAvro(
        io.hookline.dispatcher.domain.OperationalEvent.failing(WEBHOOK, 5, NOW));
    OperationalEvent recovered = OperationalRecords.toAvro(
        io.hookline.dispatcher.domain.OperationalEvent.recovered(WEBHOOK, NOW + 1));

    assertThat(failing.getType()).isEqualTo("endpoint.failing");
    assertThat(failing.getConsecutiveFailures()).isEqualTo(5);
    assertThat(recovered.getType()).isEqualTo("endpoint.recovered");
    assertThat(recovered.getId()).isNotEqualTo(failing.getId());
  }

  private static OperationalEvent roundTrip(OperationalEvent e) {
    AvroSerde<OperationalEvent> serde = AvroSerde.of(OperationalEvent.class);
    return serde.decode(serde.encode(e));
  }
}
