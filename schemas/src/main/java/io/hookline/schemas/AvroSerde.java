package io.hookline.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
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
 * <p>With a schema registry ({@link #withRegistry}), records are written in the registry wire format
 * instead (Confluent's: a zero byte, the schema's registry id as 4 bytes big-endian, the binary
 * body), the schema registered under the subject {@code <topic>-value}. Reading accepts both
 * framings, told apart by the first byte ({@code C3} single-object, {@code 00} registry), so topics
 * switched to a registry keep their older records readable; a registry-framed record's writer schema
 * is looked up by id and resolved into the current one (Avro schema resolution).
 *
 * <p>A corrupt record fails to decode with a {@link SerializationException}, without allocating
 * what its lengths claim ({@link AvroLimits}). Immutable and thread-safe; a null value stays null, so tombstones pass through.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  static {
    TrustedAvroPackages.install();
    AvroLimits.install();
  }

  /** The first byte of a record in the registry wire format. */
  static final byte REGISTRY_MAGIC = 0;
  private static final int REGISTRY_HEADER = 5;

  private final Class<T> type;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final SchemaRegistryClient registry;
  private final String subject;
  private final SpecificDatumWriter<T> writer;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroSerde(Class<T> type, Schema schema, SchemaRegistryClient registry, String subject) {
    this.type = type;
    this.schema = schema;
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
    PreviousSchemas.of(schema).forEach(decoder::addSchema);
    this.registry = registry;
    this.subject = subject;
    this.writer = new SpecificDatumWriter<>(schema, SpecificData.get());
  }

  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, SpecificData.get().getSchema(type), null, null);
  }

  /**
   * A serde that writes the class's schema in the registry wire format under {@code subject}, and
   * reads both framings. (The schema is taken here, after this class has made Avro trust the
   * generated classes: touching a generated class first would load Avro's reader without that.)
   */
  public static <T extends SpecificRecord> AvroSerde<T> withRegistry(Class<T> type, SchemaRegistryClient registry,
      String subject) {
    return new AvroSerde<>(type, SpecificData.get().getSchema(type), Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(subject, "subject"));
  }

  /** The subject this serde registers its schema under, for the topic {@code topic}: {@code <topic>-value}. */
  public static String subject(String topic) {
    return topic + "-value";
  }

  public byte[] encode(T value) {
    if (value == null) {
      return null;
    }
    if (registry != null) {
      return encodeFramed(value);
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

  private byte[] encodeFramed(T value) {
    int id = registry.register(subject, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(REGISTRY_MAGIC);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    try {
      BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(value, body);
      body.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes either framing (with a registry; without one, single-object encoding only, as ever). A
   * registry-framed record whose id the registry does not know fails with an
   * {@link UnknownSchemaIdException} (a {@link SerializationException}); a registry that does not
   * answer fails with a {@link SchemaRegistryException}, which is not a decoding failure.
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (registry != null && bytes.length > 0 && bytes[0] == REGISTRY_MAGIC) {
      return decodeFramed(bytes);
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private T decodeFramed(byte[] bytes) {
    if (bytes.length < REGISTRY_HEADER) {
      throw new SerializationException("Cannot decode " + type.getSimpleName() + ": " + bytes.length
          + " bytes are too short for the schema registry wire format");
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    SpecificDatumReader<T> reader = readers.get(id);
    if (reader == null) {
      Schema written = registry.schema(id);
      reader = readers.computeIfAbsent(id, i -> new SpecificDatumReader<>(written, schema, SpecificData.get()));
    }
    try {
      BinaryDecoder body = DecoderFactory.get().binaryDecoder(bytes, REGISTRY_HEADER, bytes.length - REGISTRY_HEADER, null);
      return reader.read(null, body);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot decode " + type.getSimpleName() + " (schema id " + id + "): "
          + e.getMessage(), e);
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
