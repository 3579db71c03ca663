package io.hookline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.Event;
import io.hookline.schemas.InvalidEventException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every class of bad input the events topic may carry is refused with a stable reason and a
 * message that says what is wrong, quickly and without exhausting the stack or the heap; nothing is
 * coerced into an event the producer did not mean.
 */
class EventCodecHostileInputTest {

  private static final EventCodec.Origin ORIGIN = new EventCodec.Origin("hookline.events", 0, 7, 1_700_000_000_000L);

  private static InvalidEventException refused(byte[] value) {
    try {
      Event e = EventCodec.decode(value, ORIGIN);
      throw new AssertionError("accepted as " + e);
    } catch (InvalidEventException ex) {
      return ex;
    }
  }

  private static InvalidEventException refused(String json) {
    return refused(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(String json, Reason reason, String messagePart) {
    InvalidEventException ex = refused(json);
    assertThat(ex.reason()).as(json).isEqualTo(reason);
    assertThat(ex.getMessage()).as(json).contains(messagePart);
  }

  @Test
  void aNumberWhereTheContractHasAStringIsRefusedNotTurnedIntoText() {
    assertRefused("{\"portal\":\"zylker\",\"event\":5}", Reason.INVALID_FIELD, "field 'event' must be a string, was a number");
    assertRefused("{\"portal\":7,\"event\":\"e\"}", Reason.INVALID_FIELD, "field 'portal' must be a string, was a number");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"app_id\":19367000000002043}", Reason.INVALID_FIELD,
        "field 'app_id' must be a string, was a number");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"id\":1.5}", Reason.INVALID_FIELD, "field 'id'");
  }

  @Test
  void booleansObjectsAndArraysWhereTheContractHasAStringAreRefused() {
    assertRefused("{\"portal\":\"p\",\"event\":true}", Reason.INVALID_FIELD, "field 'event' must be a string, was a boolean");
    assertRefused("{\"portal\":{\"name\":\"p\"},\"event\":\"e\"}", Reason.INVALID_FIELD, "field 'portal' must be a string, was an object");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"entity_id\":[\"1\"]}", Reason.INVALID_FIELD,
        "field 'entity_id' must be a string, was an array");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"entity\":false}", Reason.INVALID_FIELD, "field 'entity'");
  }

  @Test
  void aStringOrArrayWhereTheContractHasAnObjectOrANumberIsRefused() {
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"entity_label\":\"{\\\"id\\\":1}\"}", Reason.INVALID_FIELD,
        "field 'entity_label' must be a JSON object, was a string");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"event_time\":\"1566841905380\"}", Reason.INVALID_FIELD,
        "field 'event_time' must be epoch milliseconds");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"event_time\":1.5}", Reason.INVALID_FIELD, "'event_time'");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"event_time\":-1}", Reason.INVALID_FIELD, "'event_time'");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"event_time\":99999999999999999999}", Reason.INVALID_FIELD, "'event_time'");
    assertRefused("[{\"portal\":\"p\",\"event\":\"e\"}]", Reason.NOT_A_JSON_OBJECT, "JSON object");
    assertRefused("\"portal\"", Reason.NOT_A_JSON_OBJECT, "JSON object");
  }

  @Test
  void nullsStandForAbsentFieldsAndARequiredOneMustBeThere() throws Exception {
    Event e = EventCodec.decode("{\"portal\":\"p\",\"event\":\"e\",\"app_id\":null,\"entity_label\":null,\"event_time\":null}"
        .getBytes(StandardCharsets.UTF_8), ORIGIN);
    assertThat(e.getAppId()).isNull();
    assertThat(e.getEventTime()).isEqualTo(ORIGIN.timestamp());
    assertRefused("{\"portal\":\"p\",\"event\":null}", Reason.MISSING_FIELD, "'event'");
    assertRefused("{\"portal\":\" \",\"event\":\"e\"}", Reason.MISSING_FIELD, "'portal'");
  }

  @Test
  void aDuplicateNameAnywhereIsRefusedNamingIt() {
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"event\":\"other\"}", Reason.DUPLICATE_FIELD, "'event'");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"payload\":{\"amount\":1,\"amount\":1000}}", Reason.DUPLICATE_FIELD,
        "'amount'");
  }

  @Test
  void invalidUtf8AndRawControlCharactersAreMalformed() {
    byte[] badUtf8 = "{\"portal\":\"p\",\"event\":\"e\",\"payload\":\"x?\"}".getBytes(StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 4] = (byte) 0xC3; // a lead byte followed by a quote
    assertThat(refused(badUtf8).reason()).isEqualTo(Reason.MALFORMED_JSON);
    assertThat(refused(badUtf8).getMessage()).contains("UTF-8");
    byte[] loneContinuation = {'{', '"', 'p', 'o', 'r', 't', 'a', 'l', '"', ':', '"', (byte) 0xFF, '"', '}'};
    assertThat(refused(loneContinuation).reason()).isEqualTo(Reason.MALFORMED_JSON);
    byte[] rawNul = "{\"portal\":\"p\",\"event\":\"e_\"}".getBytes(StandardCharsets.UTF_8);
    rawNul[rawNul.length - 3] = 0;
    assertThat(refused(rawNul).reason()).isEqualTo(Reason.MALFORMED_JSON);
  }

  @Test
  void anEscapedNulOrAnotherControlCharacterIsRefusedInNamesAndKeptInThePayload() throws Exception {
    assertRefused("{\"portal\":\"p\",\"event\":\"order\\u0000.created\"}", Reason.INVALID_FIELD,
        "field 'event' contains the control character U+0000");
    assertRefused("{\"portal\":\"p\\n\",\"event\":\"e\"}", Reason.INVALID_FIELD, "U+000A");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\\ud800\"}", Reason.INVALID_FIELD, "unpaired surrogate");
    assertRefused("{\"portal\":\"p\",\"event\":\"e\",\"payload\":\"\\udc00\"}", Reason.INVALID_FIELD,
        "field 'payload' contains an unpaired surrogate");
    Event e = EventCodec.decode("{\"portal\":\"p\",\"event\":\"e\",\"payload\":{\"t\":\"a\\u0000b\"}}"
        .getBytes(StandardCharsets.UTF_8), ORIGIN);
    assertThat(new String(EventCodec.toJson(e), StandardCharsets.UTF_8)).contains("\"payload\":{\"t\":\"a\\u0000b\"}");
  }

  @Test
  void jsonNested100000DeepFailsFastWithoutRecursing() {
    String deep = "{\"portal\":\"p\",\"event\":\"e\",\"payload\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    long start = System.nanoTime();
    InvalidEventException ex = refused(deep);
    assertThat(ex.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
    assertThat(ex.getMessage()).contains("nesting depth").contains(Integer.toString(StrictEventJson.MAX_DEPTH));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(refused("{\"a\":".repeat(100_000)).reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
    String deepestAllowed = "[".repeat(StrictEventJson.MAX_DEPTH - 1) + "]".repeat(StrictEventJson.MAX_DEPTH - 1);
    assertThat(catchDecode("{\"portal\":\"p\",\"event\":\"e\",\"payload\":" + deepestAllowed + "}")).isNull();
  }

  @Test
  void aRecordOfAMegabyteIsDecodedAndOneBeyondTheLimitIsRefusedBeforeParsing() throws Exception {
    String head = "{\"portal\":\"p\",\"event\":\"e\",\"payload\":\"";
    String oneMegabyte = head + "x".repeat(EventCodec.MAX_EVENT_BYTES - head.length() - 2) + "\"}";
    assertThat(oneMegabyte.length()).isEqualTo(EventCodec.MAX_EVENT_BYTES);
    assertThat(EventCodec.decode(oneMegabyte.getBytes(StandardCharsets.UTF_8), ORIGIN).getPayload().length())
        .isEqualTo(EventCodec.MAX_EVENT_BYTES - head.length()); // the x-es and both quotes

    byte[] beyond = new byte[1_048_576];
    Arrays.fill(beyond, (byte) '[');
    InvalidEventException ex = refused(beyond);
    assertThat(ex.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
    assertThat(ex.getMessage()).contains("1048576 bytes").contains("1000000");
  }

  @Test
  void randomBytesAreRefusedAndNeverThrowAnythingElse() {
    Random random = new Random(16);
    for (int i = 0; i < 2_000; i++) {
      byte[] junk = new byte[1 + random.nextInt(300)];
      random.nextBytes(junk);
      if (i % 3 == 0) {
        junk[0] = (byte) 0xC3; // half of these pass for Avro at first sight
        if (junk.length > 1) {
          junk[1] = 0x01;
        }
      }
      InvalidEventException ex = refused(junk);
      assertThat(ex.reason()).isIn(Reason.MALFORMED_JSON, Reason.NOT_A_JSON_OBJECT, Reason.UNDECODABLE_AVRO);
      assertThat(ex.getMessage()).isNotBlank();
    }
  }

  @Test
  void textAfterTheEventIsRefused() {
    assertRefused("{\"portal\":\"p\",\"event\":\"e\"} {\"portal\":\"p\",\"event\":\"f\"}", Reason.MALFORMED_JSON, "not JSON");
  }

  private static byte[] avro() {
    return EventCodec.toAvro(Event.newBuilder().setId("a-1").setPortal("zylker").setEvent("order.created")
        .setPayload("{\"n\":1}").build());
  }

  @Test
  void truncatedAvroIsRefusedAtEveryLength() {
    byte[] whole = avro();
    for (int length = 2; length < whole.length; length++) {
      InvalidEventException ex = refused(Arrays.copyOf(whole, length));
      assertThat(ex.reason()).as("%d of %d bytes", length, whole.length).isEqualTo(Reason.UNDECODABLE_AVRO);
    }
  }

  @Test
  void anUnknownSchemaFingerprintIsRefused() {
    byte[] value = avro();
    value[5] ^= 0x5A;
    InvalidEventException ex = refused(value);
    assertThat(ex.reason()).isEqualTo(Reason.UNDECODABLE_AVRO);
    assertThat(ex.getMessage()).containsIgnoringCase("schema");
  }

  @Test
  void anAvroStringClaimingAGigabyteFailsWithoutAllocatingIt() {
    byte[] header = Arrays.copyOf(avro(), 10); // marker and fingerprint
    // id: union branch 1 (string), then a length of 2^30 as a zig-zag varint, then nothing.
    byte[] value = Arrays.copyOf(header, 16);
    value[10] = 0x02;
    value[11] = (byte) 0x80;
    value[12] = (byte) 0x80;
    value[13] = (byte) 0x80;
    value[14] = (byte) 0x80;
    value[15] = 0x08;
    long before = usedHeap();
    InvalidEventException ex = refused(value);
    assertThat(ex.reason()).isEqualTo(Reason.UNDECODABLE_AVRO);
    assertThat(usedHeap() - before).isLessThan(256L * 1024 * 1024);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void anAvroEventIsHeldToTheSameRulesAsAJsonOne() {
    Event base = Event.newBuilder().setId("a-1").setPortal("p").setEvent("e").setPayload("{}").build();
    Event nul = Event.newBuilder(base).setEvent("e\u0000").build();
    assertThat(refused(EventCodec.toAvro(nul)).getMessage()).contains("field 'event' contains the control character U+0000");
    Event replaced = Event.newBuilder(base).setPortal("p\uFFFD").build();
    assertThat(refused(EventCodec.toAvro(replaced)).getMessage()).contains("field 'portal' contains U+FFFD");
    Event duplicate = Event.newBuilder(base).setPayload("{\"a\":1,\"a\":2}").build();
    assertThat(refused(EventCodec.toAvro(duplicate)).getMessage()).contains("'payload'").contains("Duplicate field 'a'");
    Event deep = Event.newBuilder(base).setPayload("[".repeat(100_000) + "]".repeat(100_000)).build();
    assertThat(refused(EventCodec.toAvro(deep)).getMessage()).contains("'payload'").contains("nesting depth");
    Event stringLabel = Event.newBuilder(base).setEntityLabel("\"x\"").build();
    assertThat(refused(EventCodec.toAvro(stringLabel)).getMessage()).contains("field 'entity_label' must be a JSON object");
    Event longName = Event.newBuilder(base).setEvent("e".repeat(256)).build();
    assertThat(refused(EventCodec.toAvro(longName)).getMessage()).contains("longer than 255");
  }

  @Test
  void noValueIsAnEmptyRecord() {
    assertThat(refused((byte[]) null).reason()).isEqualTo(Reason.EMPTY_RECORD);
    assertThat(refused(new byte[0]).reason()).isEqualTo(Reason.EMPTY_RECORD);
  }

  @Test
  void theInvalidCopysMessageIsCutShort() {
    var headers = InvalidRecordHeaders.of("MALFORMED_JSON", "x".repeat(100_000), "t", 0, 1);
    assertThat(new String(headers.get(InvalidRecordHeaders.MESSAGE), StandardCharsets.UTF_8))
        .hasSize(InvalidRecordHeaders.MAX_MESSAGE_LENGTH).endsWith("...");
  }

  private static InvalidEventException catchDecode(String json) {
    try {
      EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
      return null;
    } catch (InvalidEventException ex) {
      return ex;
    }
  }
}
