package io.hookline.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro record using Avro single-object encoding: a two-byte marker, the
 * schema fingerprint, then the binary body. Needs no schema registry; a consumer that knows the
 * schema (from the {@code hookline-schemas} jar) can read every record, and a record written with
 * an unknown schema fails loudly instead of decoding into garbage. Records written with a
 * {@linkplain PreviousSchemas previous version} of the schema decode into the current one (fields
 * added since take their defaults).
 *
 * <p>A corrupt record fails to decode with a {@link SerializationException}, without allocating
 * what its lengths claim ({@link AvroLimits}). Immutable and thread-safe; a null value stays null, so tombstones pass through.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  static {
    TrustedAvroPackages.install();
    AvroLimits.install();
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type, Schema schema) {
    this.type = type;
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
    PreviousSchemas.of(schema).forEach(decoder::addSchema);
  }

  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, SpecificData.get().getSchema(type));
  }

  public byte[] encode(T value) {
    if (value == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
