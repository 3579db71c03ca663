package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.Trigger;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The attempt schema gained {@code request_headers}, then {@code throttled_until}: readers of either version read records of the
 * other, and records already on the attempts topic (or in a store) decode with the current classes.
 */
class AttemptSchemaEvolutionTest {

  private static final AvroSerde<Attempt> SERDE = AvroSerde.of(Attempt.class);

  private static Schema version1() {
    List<Schema> previous = PreviousSchemas.of(Attempt.getClassSchema());
    assertThat(previous).hasSize(2);
    return previous.get(0);
  }

  private static Schema version2() {
    return PreviousSchemas.of(Attempt.getClassSchema()).get(1);
  }

  private static Attempt.Builder attempt() {
    return Attempt.newBuilder().setExecutionId("x1").setWebhookId("w1").setPortal("zylker").setEventId("e1")
        .setEvent("order.created").setUrl("https://hooks.test/a").setAttempt(1).setTrigger(Trigger.INITIAL)
        .setStatus(AttemptStatus.SENT).setHttpStatus(200).setDurationMs(12).setCreatedAt(1_000L).setDeliveredAt(1_012L);
  }

  @Test
  void theCurrentSchemaReadsVersion1AndVersion1ReadsTheCurrent() {
    Schema current = Attempt.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version1()).getType())
        .as("backward: the current reader, a version 1 writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version1(), current).getType())
        .as("forward: a version 1 reader, the current writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void aRecordWrittenWithVersion1DecodesWithoutHeaders() throws Exception {
    Schema v1 = version1();
    GenericRecord old = new GenericData.Record(v1);
    Attempt expected = attempt().build();
    for (Schema.Field f : v1.getFields()) {
      Object value = expected.get(f.name());
      old.put(f.name(), value instanceof Enum<?> e ? new GenericData.EnumSymbol(f.schema(), e.name()) : value);
    }
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    Attempt decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.getRequestHeaders()).isNull();
  }

  @Test
  void theHeadersSentRoundTrip() {
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("webhook-id", "x1");
    sent.put("webhook-timestamp", "1");
    sent.put("webhook-signature", "v1,abc=");
    Attempt a = attempt().setRequestHeaders(sent).build();

    Attempt decoded = SERDE.decode(SERDE.encode(a));

    assertThat(decoded.getRequestHeaders()).isEqualTo(sent);
  }

  @Test
  void theCurrentSchemaReadsVersion2AndVersion2ReadsTheCurrent() {
    Schema current = Attempt.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version2()).getType())
        .as("backward: the current reader, a version 2 writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version2(), current).getType())
        .as("forward: a version 2 reader, the current writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void aRecordWrittenWithVersion2DecodesUnthrottled() {
    Schema v2 = version2();
    GenericRecord old = new GenericData.Record(v2);
    Attempt expected = attempt().build();
    for (Schema.Field f : v2.getFields()) {
      Object value = expected.get(f.name());
      old.put(f.name(), value instanceof Enum<?> e ? new GenericData.EnumSymbol(f.schema(), e.name()) : value);
    }
    ByteBuffer encoded;
    try {
      encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    Attempt decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.getThrottledUntil()).isNull();
  }

  @Test
  void aThrottledAttemptRoundTrips() {
    Attempt a = attempt().setStatus(AttemptStatus.ERROR).setHttpStatus(429).setErrorCode("HTTP_ERROR")
        .setThrottledUntil(5_000L).build();

    assertThat(SERDE.decode(SERDE.encode(a)).getThrottledUntil()).isEqualTo(5_000L);
  }
}
