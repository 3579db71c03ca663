package io.hookline.bench.delivery;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The events of the delivery benchmark, in the JSON form producers publish to Hookline's events
 * topic (SPEC), and how the receiver reads them back. Each carries its sequence number and the
 * {@link System#nanoTime()} (in microseconds) at which it was produced; on Linux that clock is the
 * system's monotonic clock, the same in every JVM of the machine, so the receiver can subtract it.
 * Event {@code seq} belongs to webhook {@code seq % webhooks}, whose portal is {@code p<index>}.
 */
final class BenchEvents {

  static final String EVENT_NAME = "bench.delivery";
  /**
   * {@code BENCH_EVENT_SCHEMA=on}: each portal declares the benchmark's event type with a JSON Schema
   * its events match, so the dispatcher validates every event (the cost of validation, as a ratio
   * to a run without it).
   */
  static final boolean SCHEMA_ON = "on".equals(System.getenv("BENCH_EVENT_SCHEMA"));
  static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"seq\",\"sent_us\",\"text\"],"
      + "\"properties\":{\"seq\":{\"type\":\"integer\",\"minimum\":0},\"sent_us\":{\"type\":\"integer\"},"
      + "\"text\":{\"type\":\"string\",\"maxLength\":1000}}}";
  private static final String FILLER = "x".repeat(200);
  /** The entity id of every event of the default shape: one ordering key per portal. */
  static final String ENTITY_ID = "19367000000130079";
  private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SENT = "\"sent_us\":".getBytes(StandardCharsets.US_ASCII);

  private BenchEvents() {}

  static String portal(int webhook) {
    return "p" + webhook;
  }

  /** The webhook index of a record key (a portal name). */
  static int webhookOfPortal(String portal) {
    return Integer.parseInt(portal, 1, portal.length(), 10);
  }

  static long nowMicros() {
    return System.nanoTime() / 1000;
  }

  /** The event as published (and as the peers and the ceiling POST it). */
  static byte[] json(long seq, int webhook, long sentMicros) {
    return ("{\"portal\":\"" + portal(webhook) + "\",\"app_id\":\"19367000000002043\",\"event\":\"" + EVENT_NAME + "\","
        + "\"entity\":\"conversation\",\"entity_id\":\"19367000000130079\","
        + "\"entity_label\":{\"id\":\"19367000000130079\"},"
        + "\"payload\":{\"seq\":" + seq + ",\"sent_us\":" + sentMicros + ",\"text\":\"" + FILLER + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The default payload: the sequence number, the produce stamp and 200 characters of filler. */
  static String defaultPayload(long seq, long sentMicros) {
    return "{\"seq\":" + seq + ",\"sent_us\":" + sentMicros + ",\"text\":\"" + FILLER + "\"}";
  }

  /**
   * An event for {@code webhook} about entity {@code entityId} with the JSON object {@code payload}: the
   * envelope of {@link #json(long, int, long)}, for the shapes options ask for ({@link EventShape}).
   */
  static byte[] json(int webhook, String entityId, String payload) {
    return ("{\"portal\":\"" + portal(webhook) + "\",\"app_id\":\"19367000000002043\",\"event\":\"" + EVENT_NAME + "\","
        + "\"entity\":\"conversation\",\"entity_id\":\"" + entityId + "\","
        + "\"entity_label\":{\"id\":\"" + entityId + "\"},"
        + "\"payload\":" + payload + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Event {@code seq} for {@code webhook} as a record of {@code topic}, keyed by its portal, stamped now. */
  static ProducerRecord<byte[], byte[]> record(String topic, long seq, int webhook) {
    return new ProducerRecord<>(topic, portal(webhook).getBytes(StandardCharsets.UTF_8), json(seq, webhook, nowMicros()));
  }

  /** Event {@code seq} for {@code webhook} in {@code shape} as a record of {@code topic}, keyed by its portal. */
  static ProducerRecord<byte[], byte[]> record(String topic, long seq, int webhook, EventShape shape) {
    return new ProducerRecord<>(topic, portal(webhook).getBytes(StandardCharsets.UTF_8),
        shape.json(seq, webhook, nowMicros()));
  }

  /** The sequence number in a POSTed body, or -1. */
  static long seqOf(byte[] body) {
    return numberAfter(body, SEQ);
  }

  /** The produce stamp in a POSTed body, or -1. */
  static long sentOf(byte[] body) {
    return numberAfter(body, SENT);
  }

  private static long numberAfter(byte[] body, byte[] marker) {
    outer:
    for (int i = 0; i <= body.length - marker.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (body[i + j] != marker[j]) {
          continue outer;
        }
      }
      long n = 0;
      int k = i + marker.length;
      boolean any = false;
      while (k < body.length && body[k] >= '0' && body[k] <= '9') {
        n = n * 10 + (body[k++] - '0');
        any = true;
      }
      return any ? n : -1;
    }
    return -1;
  }

  /** The event type of the benchmark's event in {@code portal}, with {@link #SCHEMA}, as the API stores it. */
  static ProducerRecord<byte[], byte[]> eventType(io.hookline.schemas.Topic<String, io.hookline.avro.EventType> topic,
      String portal, long now) {
    return eventType(topic, portal, now, SCHEMA);
  }

  /** The event type of the benchmark's event in {@code portal}, with the JSON Schema {@code schema}. */
  static ProducerRecord<byte[], byte[]> eventType(io.hookline.schemas.Topic<String, io.hookline.avro.EventType> topic,
      String portal, long now, String schema) {
    io.hookline.avro.EventType type = io.hookline.avro.EventType.newBuilder().setPortal(portal).setName(EVENT_NAME)
        .setJsonSchema(schema).setCreatedAt(now).setUpdatedAt(now).build();
    String key = io.hookline.schemas.HooklineTopics.eventTypeKey(portal, EVENT_NAME);
    return new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
        topic.valueSerde().serializer().serialize(topic.name(), type));
  }
}
