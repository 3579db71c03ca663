package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.Event;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private static final EventCodec.Origin ORIGIN = new EventCodec.Origin("hookline.events", 2, 41, 1_700_000_000_000L);

  private static Event decode(String json) throws InvalidEventException {
    return EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
  }

  private static String body(Event e) {
    return new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
  }

  @Test
  void aJsonEventIsPostedWithTheSpecFieldsInOrderAndItsJsonValuesEmbedded() throws Exception {
    Event e = decode("""
        { "payload": { "b": [1, 2.5, "x\\"y"], "a": null },
          "event": "conversation.created", "portal": "zylker", "id": "ev-1", "app_id": "19367000000002043",
          "entity": "conversation", "entity_id": "130079", "entity_label": {"id": "130079"}, "event_time": 1700000000123 }
        """);

    assertThat(body(e)).isEqualTo("{\"id\":\"ev-1\",\"portal\":\"zylker\",\"app_id\":\"19367000000002043\","
        + "\"event\":\"conversation.created\",\"entity\":\"conversation\",\"entity_id\":\"130079\","
        + "\"entity_label\":{\"id\":\"130079\"},\"event_time\":1700000000123,\"payload\":{\"b\":[1,2.5,\"x\\\"y\"],\"a\":null}}");
  }

  @Test
  void missingIdAndTimeComeFromTheRecordAndAMissingPayloadIsAnEmptyObject() throws Exception {
    Event e = decode("{\"portal\":\"p\",\"event\":\"e\"}");

    assertThat(e.getId()).isEqualTo(java.util.UUID.nameUUIDFromBytes(
        "hookline.events/2/41".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(body(e)).isEqualTo("{\"id\":\"" + e.getId() + "\",\"portal\":\"p\",\"event\":\"e\","
        + "\"event_time\":1700000000000,\"payload\":{}}");
  }

  @Test
  void aScalarPayloadStaysAJsonValue() throws Exception {
    assertThat(body(decode("{\"portal\":\"p\",\"event\":\"e\",\"id\":\"1\",\"event_time\":5,\"payload\":\"hi \\u00e9\"}")))
        .isEqualTo("{\"id\":\"1\",\"portal\":\"p\",\"event\":\"e\",\"event_time\":5,\"payload\":\"hi \u00e9\"}");
  }

  @Test
  void anAvroEventIsPostedWithItsJsonTextAsGiven() throws Exception {
    Event avro = Event.newBuilder().setId("a-1").setPortal("p").setEvent("e").setEventTime(7L)
        .setEntityLabel("{ \"id\": \"9\" }").setPayload("[ 1, {\"k\": true} ]").build();

    Event e = EventCodec.decode(EventCodec.toAvro(avro), ORIGIN);

    assertThat(body(e)).isEqualTo("{\"id\":\"a-1\",\"portal\":\"p\",\"event\":\"e\",\"entity_label\":{ \"id\": \"9\" },"
        + "\"event_time\":7,\"payload\":[ 1, {\"k\": true} ]}");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(EventCodec.toJson(e)).get("payload").get(1)
        .get("k").asBoolean()).isTrue();
  }

  @Test
  void anAvroEventWhosePayloadIsNotExactlyOneJsonValueIsRefusedNamingTheField() {
    for (String payload : new String[] {"{} trailing", "{\"a\":1}{\"b\":2}", "", "   ", "{\"a\":"}) {
      Event avro = Event.newBuilder().setId("a-1").setPortal("p").setEvent("e").setPayload(payload).build();
      assertThatThrownBy(() -> EventCodec.decode(EventCodec.toAvro(avro), ORIGIN))
          .as("payload %s", payload)
          .isInstanceOfSatisfying(InvalidEventException.class, ex -> {
            assertThat(ex.reason()).isEqualTo(InvalidEventException.Reason.INVALID_FIELD);
            assertThat(ex.getMessage()).contains("'payload'");
          });
    }
    Event badLabel = Event.newBuilder().setId("a-1").setPortal("p").setEvent("e").setEntityLabel("{\"id\":1} x").build();
    assertThatThrownBy(() -> EventCodec.decode(EventCodec.toAvro(badLabel), ORIGIN))
        .hasMessageContaining("'entity_label'");
  }

  @Test
  void badJsonEventsAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> decode("{\"portal\":\"p\""))
        .isInstanceOfSatisfying(InvalidEventException.class,
            ex -> assertThat(ex.reason()).isEqualTo(InvalidEventException.Reason.MALFORMED_JSON));
    assertThatThrownBy(() -> decode("{\"event\":\"e\"}"))
        .isInstanceOfSatisfying(InvalidEventException.class,
            ex -> assertThat(ex.reason()).isEqualTo(InvalidEventException.Reason.MISSING_FIELD));
    assertThatThrownBy(() -> decode("{\"portal\":\"p\",\"event\":\"e\",\"entity_label\":[1]}"))
        .hasMessageContaining("'entity_label'");
  }
}
