package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Event;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * The retry request gained {@code ordered_offset}: readers of either version read records of the
 * other, and retry requests already on the retry, parked and redeliveries topics decode with the
 * current classes, unordered.
 */
class RetryRequestSchemaEvolutionTest {

  private static final AvroSerde<RetryRequest> SERDE = AvroSerde.of(RetryRequest.class);

  private static Schema version1() {
    List<Schema> previous = PreviousSchemas.of(RetryRequest.getClassSchema());
    assertThat(previous).hasSize(1);
    return previous.get(0);
  }

  private static RetryRequest request(Long orderedOffset) {
    Event event = Event.newBuilder().setId("e1").setPortal("zylker").setEvent("order.created").setPayload("{}").build();
    return RetryRequest.newBuilder().setExecutionId("x1").setWebhookId("w1").setAttempt(2).setDueAt(2_000L)
        .setTrigger(Trigger.SCHEDULED).setFirstAttemptAt(1_000L).setLastAttemptAt(1_000L).setLastHttpStatus(500)
        .setEvent(event).setOrderedOffset(orderedOffset).build();
  }

  @Test
  void theCurrentSchemaReadsVersion1AndVersion1ReadsTheCurrent() {
    Schema current = RetryRequest.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version1()).getType())
        .as("backward").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version1(), current).getType())
        .as("forward").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void aRequestWrittenWithVersion1DecodesUnordered() throws Exception {
    ByteBuffer encoded = new BinaryMessageEncoder<RetryRequest>(SpecificData.get(), version1()).encode(request(null));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    RetryRequest decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(request(null));
    assertThat(decoded.getOrderedOffset()).isNull();
  }

  @Test
  void theOrderedOffsetRoundTrips() {
    assertThat(SERDE.decode(SERDE.encode(request(42L))).getOrderedOffset()).isEqualTo(42L);
  }
}
