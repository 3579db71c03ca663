package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.Attempt;
import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.Webhook;
import io.hookline.runtime.management.ProbeResult;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.schemas.SchemaRegistryClient;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.testing.ApicurioRegistry;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher with a real schema registry (Apicurio Registry, its Confluent-compatible API):
 * events in the registry wire format from producers on older and newer {@code Event} schemas, every
 * output in that wire format under {@code <topic>-value} subjects, schema evolution of
 * {@code FailedExecution} under BACKWARD compatibility, unknown schema ids refused, and a registry
 * that does not answer stopping the dispatcher without a commit past the unwritten outcome.
 */
@IntegrationTest
class SchemaRegistryDeliveryTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static ApicurioRegistry registry;
  private static RunningDispatcher d;
  /** A client of the test's own, with empty caches: it sees what any consumer would. */
  private static SchemaRegistryClient reader;

  @BeforeAll
  static void start() {
    registry = ApicurioRegistry.shared();
    d = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.schema-registry-url", registry.confluentApiUrl()));
    reader = new SchemaRegistryClient(new SchemaRegistryClient.Settings(registry.confluentApiUrl(), null, null, null,
        Duration.ofSeconds(30)));
  }

  @AfterAll
  static void stop() {
    if (d != null) {
      d.close();
    }
  }

  @Test
  void eventsFromOlderAndNewerSchemasAreDeliveredAndDeadLettersAreRegistryFramed() throws Exception {
    Webhook w = d.createWebhook("/failing", "registry.failing");
    // 410 Gone: not retried, a dead letter at once (retries would need the retry-scheduler).
    d.receiver.answer("/failing", WebhookReceiver.status(410));
    String eventsSubject = AvroSerde.subject(d.topics.events().name());
    Schema older = olderEventSchema();
    Schema newer = withOptionalField(Event.getClassSchema(), "source");
    int olderId = reader.register(eventsSubject, older);
    int newerId = reader.register(eventsSubject, newer);
    assertThat(newerId).isNotEqualTo(olderId);

    GenericRecord fromOlder = new GenericData.Record(older);
    fromOlder.put("portal", RunningDispatcher.PORTAL);
    fromOlder.put("event", "registry.failing");
    fromOlder.put("payload", "{\"from\":\"older\"}");
    GenericRecord fromNewer = generic(newer, RunningDispatcher.event("registry.failing"));
    fromNewer.put("payload", "{\"from\":\"newer\"}");
    fromNewer.put("source", "a newer producer");
    d.publish(0, framed(olderId, fromOlder));
    d.publish(0, framed(newerId, fromNewer));
    // The forms of before a registry keep working.
    d.publish(1, EventCodec.toAvro(RunningDispatcher.event("registry.failing")));
    d.publishJson(2, RunningDispatcher.json("registry.failing"));

    var failed = d.deadLetters.await(f -> f.getWebhookId().equals(w.getId()), 4, Duration.ofSeconds(30));
    assertThat(failed).extracting(f -> f.getEvent().getPayload())
        .contains("{\"from\":\"older\"}", "{\"from\":\"newer\"}");
    assertThat(d.receiver.requests("/failing")).anyMatch(r -> r.bodyText().contains("\"from\":\"newer\""));

    // Every dead letter and attempt is in the registry wire format, its schema found by its id.
    String deadLetterSubject = AvroSerde.subject(d.topics.deadLetter().name());
    for (TopicRecording.Received<String, FailedExecution> r : d.deadLetters.records(f -> f.getWebhookId().equals(w.getId()))) {
      byte[] value = r.raw().value();
      assertThat(value[0]).isZero();
      Schema writer = reader.schema(ByteBuffer.wrap(value, 1, 4).getInt());
      assertThat(writer).isEqualTo(FailedExecution.getClassSchema());
      GenericRecord decoded = readGeneric(value, writer, writer);
      assertThat(decoded.get("execution_id").toString()).isEqualTo(r.value().getExecutionId());
      assertThat(decoded.get("error_code").toString()).isEqualTo(r.value().getErrorCode());
    }
    Attempt attempt = d.attempts.awaitOne(a -> a.getWebhookId().equals(w.getId()), Duration.ofSeconds(10));
    assertThat(d.attempts.records(a -> a == attempt).get(0).raw().value()[0]).isZero();
    assertThat(reader.compatibility(deadLetterSubject)).isEqualTo(SchemaRegistryClient.COMPATIBILITY);
    assertThat(reader.compatibility(AvroSerde.subject(d.topics.attempts().name())))
        .isEqualTo(SchemaRegistryClient.COMPATIBILITY);
  }

  @Test
  void failedExecutionEvolvesBackwardAndOldAndNewConsumersReadBothVersions() throws Exception {
    Webhook w = d.createWebhook("/gone", "registry.gone");
    d.receiver.answer("/gone", WebhookReceiver.status(410)); // not retried: a dead letter at once
    d.publishJson(0, RunningDispatcher.json("registry.gone"));
    var old = d.deadLetters.await(f -> f.getWebhookId().equals(w.getId()), 1, Duration.ofSeconds(30));
    byte[] oldBytes = d.deadLetters.records(f -> f == old.get(0)).get(0).raw().value();

    // A new version of FailedExecution with an optional field, registered beside the current one.
    String subject = AvroSerde.subject(d.topics.deadLetter().name());
    Schema v2 = withOptionalField(FailedExecution.getClassSchema(), "note");
    int v2Id = reader.register(subject, v2);
    GenericRecord next = readGeneric(oldBytes, reader.schema(ByteBuffer.wrap(oldBytes, 1, 4).getInt()), v2);
    next.put("note", "written by a newer producer");
    byte[] newBytes = framed(v2Id, next);
    d.sendRaw(new ProducerRecord<>(d.topics.deadLetter().name(), w.getId().getBytes(StandardCharsets.UTF_8), newBytes));

    // The old consumer (Hookline's serde on the current class) reads both versions.
    var oldConsumer = d.topics.deadLetter().valueSerde().deserializer();
    assertThat(oldConsumer.deserialize("t", newBytes).getExecutionId()).isEqualTo(old.get(0).getExecutionId());
    assertThat(oldConsumer.deserialize("t", oldBytes).getExecutionId()).isEqualTo(old.get(0).getExecutionId());
    assertThat(d.deadLetters.await(f -> f.getWebhookId().equals(w.getId()), 2, Duration.ofSeconds(10))).hasSize(2);
    // The new consumer (reader schema v2) reads both: the old version with the field's default.
    assertThat(readGeneric(oldBytes, reader.schema(ByteBuffer.wrap(oldBytes, 1, 4).getInt()), v2).get("note")).isNull();
    assertThat(readGeneric(newBytes, reader.schema(v2Id), v2).get("note").toString())
        .isEqualTo("written by a newer producer");

    // BACKWARD is enforced: a new required field (no default) cannot read the old data, so it is refused.
    Schema incompatible = new Schema.Parser().parse(FailedExecution.getClassSchema().toString()
        .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"required_now\",\"type\":\"string\"},"));
    assertThatThrownBy(() -> reader.register(subject, incompatible)).isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("409");
  }

  @Test
  void aRecordWithAnUnknownSchemaIdGoesToTheInvalidTopicWithItsReason() {
    byte[] unknown = {0, 0x7f, 0x12, 0x34, 0x56, 2, 'x'};
    RecordMetadata m = d.publish(1, unknown);

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> d.invalid.records(v -> java.util.Arrays.equals(v, unknown)).size() == 1);
    var copy = d.invalid.records(v -> java.util.Arrays.equals(v, unknown)).get(0);
    assertThat(copy.header(InvalidRecordHeaders.REASON)).isEqualTo("UNKNOWN_SCHEMA_ID");
    assertThat(copy.header(InvalidRecordHeaders.MESSAGE)).contains("schema id " + 0x7f123456);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> d.committed(1) > m.offset());
  }

  @Test
  void aRegistryThatDoesNotAnswerStopsTheDispatcherWithoutCommittingPastTheOutcome() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (RunningDispatcher down = new RunningDispatcher(KAFKA.broker(), Map.of(
        "hookline.schema-registry-url", "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7",
        "hookline.schema-registry-timeout", "2s"))) {
      // The webhook in single-object encoding: readers take it without asking the registry.
      Webhook w = RunningDispatcher.webhook(down.receiver.url("/ok"), "registry.down");
      RecordMetadata saved = down.sendRaw(new ProducerRecord<>(down.topics.webhooks().name(),
          w.getId().getBytes(StandardCharsets.UTF_8), AvroSerde.of(Webhook.class).encode(w)));
      down.dispatcher.awaitWebhooksApplied(saved.partition(), saved.offset(), Duration.ofSeconds(10));

      RecordMetadata m = down.publishJson(2, RunningDispatcher.json("registry.down"));

      down.receiver.awaitRequests("/ok", 1, Duration.ofSeconds(20));
      Throwable failure = down.dispatcher.terminated().get(60, TimeUnit.SECONDS);
      assertThat(failure).isNotNull().hasMessageContaining("Schema registry at http://127.0.0.1:" + closedPort);
      assertThat(down.committed(2)).isLessThanOrEqualTo(m.offset());
      ProbeResult readiness = down.dispatcher.readiness();
      assertThat(readiness.up()).isFalse();
      assertThat(down.topics.schemaRegistry().failures()).isPositive();
      assertThat(down.topics.schemaRegistry().lastFailure()).contains("127.0.0.1:" + closedPort);
    }
  }

  /** An {@code Event} schema of an older producer: fewer fields (each one the current schema defaults). */
  private static Schema olderEventSchema() {
    return new Schema.Parser().parse("""
        {"type":"record","name":"Event","namespace":"io.hookline.avro","fields":[
          {"name":"portal","type":"string"},
          {"name":"event","type":"string"},
          {"name":"payload","type":"string","default":"{}"}]}""");
  }

  /** {@code schema} with an optional string field {@code name} (default null) at the end. */
  private static Schema withOptionalField(Schema schema, String name) {
    String json = schema.toString();
    int end = json.lastIndexOf(']');
    return new Schema.Parser().parse(json.substring(0, end)
        + ",{\"name\":\"" + name + "\",\"type\":[\"null\",\"string\"],\"default\":null}" + json.substring(end));
  }

  private static GenericRecord generic(Schema schema, Event event) {
    GenericRecord out = new GenericData.Record(schema);
    for (Schema.Field f : Event.getClassSchema().getFields()) {
      out.put(f.name(), event.get(f.pos()));
    }
    return out;
  }

  /** The registry wire format, as Confluent's serializer writes it. */
  private static byte[] framed(int id, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static GenericRecord readGeneric(byte[] framed, Schema writer, Schema readerSchema) throws IOException {
    return new GenericDatumReader<GenericRecord>(writer, readerSchema)
        .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
  }
}
