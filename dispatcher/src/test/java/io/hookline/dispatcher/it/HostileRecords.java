package io.hookline.dispatcher.it;

import io.hookline.avro.Event;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.InvalidEventException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What a careless or hostile producer writes to the events topic: one generator per class of bad
 * input, each with the reason the dispatcher must give, and the junk headers any record may carry.
 */
final class HostileRecords {

  /** A record for the events topic; {@code reason} is null for a valid event, which must be delivered. */
  record Hostile(String kind, byte[] key, byte[] value, RecordHeaders headers, Reason reason) {}

  /** Just over Kafka's default 1 MiB request limit once the invalid copy's headers are added. */
  static final int AT_THE_SIZE_LIMIT = 1_048_400;

  private final Random random;
  private final byte[] avroHeader;

  HostileRecords(long seed) {
    this.random = new Random(seed);
    this.avroHeader = Arrays.copyOf(EventCodec.toAvro(avroEvent("x", "x")), 10);
  }

  /** The small bad records, one of each class per call, in a shuffled order. */
  List<Hostile> smallBadOnes(int n) {
    List<Hostile> out = new ArrayList<>();
    out.add(json("event is a number", "{\"portal\":\"zylker\",\"event\":" + n + "}", Reason.INVALID_FIELD));
    out.add(json("portal is a boolean", "{\"portal\":true,\"event\":\"flood.0\"}", Reason.INVALID_FIELD));
    out.add(json("app_id is a number", "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"app_id\":19367000000002043}",
        Reason.INVALID_FIELD));
    out.add(json("entity_id is an array", "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"entity_id\":[1]}", Reason.INVALID_FIELD));
    out.add(json("entity_label is a string", "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"entity_label\":\"{}\"}",
        Reason.INVALID_FIELD));
    out.add(json("event_time is a string", "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"event_time\":\"1566841905380\"}",
        Reason.INVALID_FIELD));
    out.add(json("escaped NUL in the event name", "{\"portal\":\"zylker\",\"event\":\"flood.0\\u0000\"}", Reason.INVALID_FIELD));
    out.add(json("duplicate event", "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"event\":\"flood.1\"}", Reason.DUPLICATE_FIELD));
    out.add(json("duplicate in payload", "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"payload\":{\"a\":1,\"a\":2}}",
        Reason.DUPLICATE_FIELD));
    out.add(json("no event", "{\"portal\":\"zylker\",\"payload\":{}}", Reason.MISSING_FIELD));
    out.add(json("an array", "[1,2,3]", Reason.NOT_A_JSON_OBJECT));
    out.add(json("text after the event", "{\"portal\":\"zylker\",\"event\":\"flood.0\"} {}", Reason.MALFORMED_JSON));
    byte[] badUtf8 = "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"payload\":\"..\"}".getBytes(StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 4] = (byte) 0xC3;
    badUtf8[badUtf8.length - 3] = (byte) 0x28;
    out.add(bytes("invalid UTF-8", badUtf8, Reason.MALFORMED_JSON));
    byte[] rawNul = "{\"portal\":\"zylker\",\"event\":\"flood._\"}".getBytes(StandardCharsets.UTF_8);
    rawNul[rawNul.length - 3] = 0;
    out.add(bytes("raw NUL", rawNul, Reason.MALFORMED_JSON));
    byte[] junk = new byte[1 + random.nextInt(200)];
    random.nextBytes(junk);
    junk[0] = '~'; // neither JSON nor the Avro marker
    out.add(bytes("random bytes", junk, Reason.MALFORMED_JSON));
    byte[] avro = EventCodec.toAvro(avroEvent(UUID.randomUUID().toString(), "flood.0"));
    out.add(bytes("truncated Avro", Arrays.copyOf(avro, 10 + random.nextInt(avro.length - 11)), Reason.UNDECODABLE_AVRO));
    byte[] wrongFingerprint = avro.clone();
    wrongFingerprint[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
    out.add(bytes("wrong schema fingerprint", wrongFingerprint, Reason.UNDECODABLE_AVRO));
    byte[] gigabyteString = Arrays.copyOf(avroHeader, 16);
    System.arraycopy(new byte[] {0x02, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}, 0, gigabyteString, 10, 6);
    out.add(bytes("Avro string claiming 1 GiB", gigabyteString, Reason.UNDECODABLE_AVRO));
    out.add(new Hostile("tombstone", key(), null, new RecordHeaders(), Reason.EMPTY_RECORD));
    out.add(new Hostile("null key and value", null, null, new RecordHeaders(), Reason.EMPTY_RECORD));
    out.add(new Hostile("empty value", null, new byte[0], junkHeaders(), Reason.EMPTY_RECORD));
    java.util.Collections.shuffle(out, random);
    return out;
  }

  /** The large bad records: JSON nested 100,000 deep, and JSON of about 1 MiB, past the event limit and at Kafka's. */
  List<Hostile> largeBadOnes() {
    String deep = "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"payload\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    RecordHeaders none = new RecordHeaders();
    return List.of(
        new Hostile("nested 100,000 deep", key(), deep.getBytes(StandardCharsets.UTF_8), junkHeaders(), Reason.LIMIT_EXCEEDED),
        new Hostile("JSON past the event limit", null, bigJson(EventCodec.MAX_EVENT_BYTES + 1), none, Reason.LIMIT_EXCEEDED),
        new Hostile("JSON at Kafka's size limit", key(), bigJson(AT_THE_SIZE_LIMIT), none, Reason.LIMIT_EXCEEDED));
  }

  /** A valid JSON event of exactly 1,000,000 bytes, the largest accepted. */
  Hostile largestValid(String id, String eventName) {
    String head = "{\"id\":\"" + id + "\",\"portal\":\"zylker\",\"event\":\"" + eventName + "\",\"payload\":\"";
    String json = head + "v".repeat(EventCodec.MAX_EVENT_BYTES - head.length() - 2) + "\"}";
    return new Hostile("valid 1 MB JSON", key(), json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), null);
  }

  /** A valid event, as JSON or Avro, with a portal key, no key, or a binary one, and sometimes junk headers. */
  Hostile valid(String id, String eventName) {
    byte[] key = switch (random.nextInt(3)) {
      case 0 -> key();
      case 1 -> null;
      default -> randomBytes(16);
    };
    RecordHeaders headers = random.nextInt(4) == 0 ? junkHeaders() : new RecordHeaders();
    if (random.nextBoolean()) {
      return new Hostile("valid Avro", key, EventCodec.toAvro(avroEvent(id, eventName)), headers, null);
    }
    String json = "{\"id\":\"" + id + "\",\"portal\":\"zylker\",\"app_id\":\"19367000000002043\",\"event\":\"" + eventName
        + "\",\"entity\":\"conversation\",\"entity_id\":\"19367000000130079\",\"entity_label\":{\"id\":\"1\"},"
        + "\"event_time\":1566841905380,\"payload\":{\"text\":\"h\\u00e9llo \\u0000\",\"n\":[1,2.5,null,true]}}";
    return new Hostile("valid JSON", key, json.getBytes(StandardCharsets.UTF_8), headers, null);
  }

  /** Binary header values, the same name three times, and now and then a 64 KiB value. */
  RecordHeaders junkHeaders() {
    RecordHeaders h = new RecordHeaders();
    h.add("binary", randomBytes(32));
    h.add("dup", "1".getBytes(StandardCharsets.UTF_8));
    h.add("dup", randomBytes(8));
    h.add("dup", null);
    if (random.nextInt(50) == 0) {
      h.add("huge", randomBytes(64 * 1024));
    }
    h.add(new String(randomBytes(6), StandardCharsets.ISO_8859_1), randomBytes(4));
    return h;
  }

  private static Event avroEvent(String id, String eventName) {
    return Event.newBuilder().setId(id).setPortal("zylker").setEvent(eventName).setEntity("conversation")
        .setEntityLabel("{\"id\":\"1\"}").setPayload("{\"text\":\"hello\"}").setEventTime(1566841905380L).build();
  }

  private static byte[] bigJson(int size) {
    String head = "{\"portal\":\"zylker\",\"event\":\"flood.0\",\"payload\":\"";
    return (head + "b".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private Hostile json(String kind, String json, Reason reason) {
    return bytes(kind, json.getBytes(StandardCharsets.UTF_8), reason);
  }

  private Hostile bytes(String kind, byte[] value, Reason reason) {
    byte[] key = random.nextBoolean() ? key() : null;
    return new Hostile(kind, key, value, random.nextInt(3) == 0 ? junkHeaders() : new RecordHeaders(), reason);
  }

  private static byte[] key() {
    return RunningDispatcher.PORTAL.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
