package io.hookline.bench.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.runtime.EventSchema;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The events the delivery benchmark's options publish: every order matches the schema the dispatcher checks it
 * against (else the validation run would measure events going to the invalid topic), ordered runs spread each
 * portal's events over the keys, and the default events are the ones the benchmark always published.
 */
class EventShapeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyOrderMatchesTheSchemaAndABrokenOneDoesNot() throws Exception {
    EventSchema schema = EventSchema.compile(EventShape.ORDER_SCHEMA);
    EventShape shape = new EventShape(true, 0, 100);
    for (long seq : new long[] {0, 1, 99, 12_345, 999_999_999L}) {
      JsonNode event = JSON.readTree(shape.json(seq, (int) (seq % 100), 1_234_567));
      assertNull(schema.violations(event.get("payload").toString()), "event " + seq);
      assertEquals(seq, BenchEvents.seqOf(shape.json(seq, 0, 1_234_567)));
      assertEquals(1_234_567, BenchEvents.sentOf(shape.json(seq, 0, 1_234_567)));
    }
    String order = EventShape.orderPayload(7, 1);
    assertNotNull(schema.violations(order.replace("\"currency\":\"EUR\"", "\"currency\":\"eur\"")));
    assertNotNull(schema.violations(order.replace("\"status\":\"paid\"", "\"status\":\"lost\"")));
    assertNotNull(schema.violations(order.replace("\"order_id\":\"ord_7\",", "")));
  }

  @Test
  void anOrderedRunGivesEachPortalEveryKeyInTurn() throws Exception {
    EventShape shape = new EventShape(false, 100, 10);
    Set<String> keys = new HashSet<>();
    for (long seq = 3; seq < 10 * 1000; seq += 10) {
      JsonNode event = JSON.readTree(shape.json(seq, 3, 1));
      assertEquals(event.get("entity_id").asText(), event.get("entity_label").get("id").asText());
      keys.add(event.get("entity_id").asText());
    }
    assertEquals(100, keys.size(), "portal 3's events over 100 keys");
  }

  @Test
  void theDefaultShapeIsTheDefaultEvent() {
    assertArrayEquals(BenchEvents.json(42, 7, 99), EventShape.DEFAULT.json(42, 7, 99));
    assertArrayEquals(BenchEvents.json(42, 7, 99), BenchEvents.json(7, BenchEvents.ENTITY_ID,
        BenchEvents.defaultPayload(42, 99)));
    assertEquals(EventShape.DEFAULT, EventShape.parse(EventShape.DEFAULT.arg()));
  }
}
