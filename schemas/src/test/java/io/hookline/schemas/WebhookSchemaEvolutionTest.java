package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The webhook schema gained {@code disabled_reason} and {@code failing_since} (version 2), then
 * {@code revision} (version 3), then {@code rate_limit} and {@code headers} (version 4), then {@code ordering} (the current one): the compacted webhooks topic holds webhooks written with every
 * earlier version, and each service must still read them (as enabled, not failing, revision 0), or
 * every existing subscription would vanish on upgrade.
 */
class WebhookSchemaEvolutionTest {

  private static final AvroSerde<Webhook> SERDE = AvroSerde.of(Webhook.class);

  private static Schema version(int version) {
    List<Schema> previous = PreviousSchemas.of(Webhook.getClassSchema());
    assertThat(previous).hasSize(4);
    return previous.get(version - 1);
  }

  private static Schema version1() {
    return version(1);
  }

  private static Webhook webhook() {
    return Webhook.newBuilder().setId("w1").setPortal("zylker").setUrl("https://hooks.test/a")
        .setEvents(List.of("order.created")).setEnabled(true)
        .setSecrets(List.of(SigningSecret.newBuilder().setSecret("whsec_abc").setCreatedAt(1L).build()))
        .setCreatedAt(1L).setUpdatedAt(2L).build();
  }

  @Test
  void theCurrentSchemaReadsVersion1AndVersion1ReadsTheCurrent() {
    Schema current = Webhook.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version1()).getType())
        .as("backward: the current reader, a version 1 writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version1(), current).getType())
        .as("forward: a version 1 reader, the current writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void theCurrentSchemaReadsVersion2AndVersion2ReadsTheCurrent() {
    Schema current = Webhook.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version(2)).getType())
        .as("backward: the current reader, a version 2 writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version(2), current).getType())
        .as("forward: a version 2 reader, the current writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void theCurrentSchemaReadsVersion3AndVersion3ReadsTheCurrent() {
    Schema current = Webhook.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version(3)).getType())
        .as("backward: the current reader, a version 3 writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version(3), current).getType())
        .as("forward: a version 3 reader, the current writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void theCurrentSchemaReadsVersion4AndVersion4ReadsTheCurrent() {
    Schema current = Webhook.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, version(4)).getType())
        .as("backward: the current reader, a version 4 writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(version(4), current).getType())
        .as("forward: a version 4 reader, the current writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void aWebhookWrittenWithVersion4DecodesUnordered() throws Exception {
    Webhook expected = Webhook.newBuilder(webhook()).setRevision(7L).setRateLimit(5)
        .setHeaders(java.util.Map.of("X-Api-Key", "k")).build();
    GenericRecord old = (GenericRecord) GenericData.get().deepCopy(version(4), expected);
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), version(4)).encode(old);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    Webhook decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.getOrdering()).isNull();
    assertThat(decoded.getRateLimit()).isEqualTo(5);
  }

  @Test
  void aWebhookWrittenWithVersion3DecodesUnlimitedAndWithoutCustomHeaders() throws Exception {
    Webhook expected = Webhook.newBuilder(webhook()).setRevision(4L).build();
    GenericRecord old = (GenericRecord) GenericData.get().deepCopy(version(3), expected);
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), version(3)).encode(old);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    Webhook decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.getHeaders()).isNull();
    assertThat(decoded.getRateLimit()).isNull();
  }

  @Test
  void aWebhookWrittenWithVersion2DecodesWithRevision0() throws Exception {
    Webhook expected = Webhook.newBuilder(webhook()).setDisabledReason("GONE").setFailingSince(5L).build();
    GenericRecord old = (GenericRecord) GenericData.get().deepCopy(version(2), expected);
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), version(2)).encode(old);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    Webhook decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.getRevision()).isZero();
  }

  @Test
  void aWebhookWrittenWithVersion1DecodesAsNotDisabledAndNotFailing() throws Exception {
    Schema v1 = version1();
    Webhook expected = webhook();
    // The current record's first fields are version 1's, in the same order.
    GenericRecord old = (GenericRecord) GenericData.get().deepCopy(v1, expected);
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    Webhook decoded = SERDE.decode(bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.getDisabledReason()).isNull();
    assertThat(decoded.getFailingSince()).isNull();
  }
}
