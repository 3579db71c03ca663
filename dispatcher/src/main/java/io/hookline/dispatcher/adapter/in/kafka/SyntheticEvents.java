package io.hookline.dispatcher.adapter.in.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hookline.avro.Event;
import io.hookline.dispatcher.application.DeliveryService;
import io.hookline.dispatcher.application.EventValidation;
import io.hookline.dispatcher.application.JitWarmUp;
import io.hookline.dispatcher.application.PendingRecord;
import io.hookline.schemas.EventCodec;
import io.hookline.schemas.HooklineTopics;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Input records made up in memory, read exactly as {@link InputConsumer} reads a polled event
 * ({@link InputDecoding}: decoding, the event type's schema, the fan-out to the {@link
 * DeliveryService}), for the start-up warm-up. Three in four are JSON, as most producers write
 * them, one in four single-object Avro, so both decoders are compiled. They name the events topic
 * (an event id derived from a record's position needs a topic) but never come from it: nothing is
 * read from Kafka, and no offset exists for them.
 */
public final class SyntheticEvents implements JitWarmUp.Feed {

  /** About the size of a small real payload: a few fields and some text. */
  private static final String TEXT = "synthetic event of the dispatcher's start-up warm-up ".repeat(4);
  private static final int PARTITIONS = 6;

  private final String topic;
  private final InputDecoding decoding;
  private final DeliveryService delivery;
  private final List<String> portals;
  private final String eventName;

  /**
   * @param portals the portals the events are spread over in turn (their subscribers get them)
   * @param eventName the name of every event
   */
  public SyntheticEvents(HooklineTopics topics, DeliveryService delivery, EventValidation validation,
      List<String> portals, String eventName) {
    this.topic = topics.events().name();
    this.decoding = new InputDecoding(topics, delivery);
    this.decoding.validating(validation);
    this.delivery = delivery;
    this.portals = List.copyOf(portals);
    this.eventName = eventName;
  }

  @Override
  public void submit(long offset, PendingRecord pending) {
    String portal = portals.get((int) (offset % portals.size()));
    byte[] key = portal.getBytes(UTF_8);
    byte[] value = offset % 4 == 3 ? avro(offset, portal) : json(offset, portal);
    ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(topic, (int) (offset % PARTITIONS), offset,
        System.currentTimeMillis(), TimestampType.CREATE_TIME, key.length, value.length, key, value, new RecordHeaders(),
        Optional.empty());
    Runnable dispatch = decoding.event(r, pending);
    if (dispatch == null) {
      return; // rejected as the input consumer would (to the warm-up's outcome log)
    }
    try {
      dispatch.run();
    } catch (RuntimeException e) {
      delivery.reject(InputDecoding.invalid(r, "PROCESSING_ERROR", String.valueOf(e.getMessage())), pending);
    }
  }

  private byte[] json(long n, String portal) {
    String id = n % 5 == 0 ? "\"id\":\"warm-up-" + n + "\"," : "";
    return ("{" + id + "\"portal\":\"" + portal + "\",\"app_id\":\"hookline\",\"event\":\"" + eventName + "\","
        + "\"entity\":\"warm-up\",\"entity_id\":\"" + n + "\",\"entity_label\":{\"id\":\"" + n + "\"},"
        + "\"payload\":" + payload(n) + "}").getBytes(UTF_8);
  }

  private byte[] avro(long n, String portal) {
    return EventCodec.toAvro(Event.newBuilder().setPortal(portal).setAppId("hookline").setEvent(eventName)
        .setEntity("warm-up").setEntityId(Long.toString(n)).setEntityLabel("{\"id\":\"" + n + "\"}")
        .setEventTime(System.currentTimeMillis()).setPayload(payload(n)).build());
  }

  /**
   * A payload with the kinds of JSON values real ones carry, so the parser and the writer are
   * compiled for all of them: small and large (epoch-like) integers, negative and exponent numbers,
   * escapes and non-ASCII text, booleans, null, nested arrays and objects.
   */
  private static String payload(long n) {
    return "{\"n\":" + n + ",\"at\":" + (1_700_000_000_000L + n) + ",\"amount\":" + (n % 1000) / 8.0 + ",\"delta\":"
        + -(n % 50) + ",\"rate\":1.5e-3,\"text\":\"" + TEXT + "\",\"quoted\":\"line \\\"" + n + "\\\"\\n\\u00e9\","
        + "\"name\":\"Zo\u00eb \u00c5str\u00f6m \u2713\",\"ok\":" + (n % 2 == 0) + ",\"none\":null,"
        + "\"items\":[{\"sku\":\"SKU-" + n % 100 + "\",\"qty\":" + (1 + n % 3) + "},{\"sku\":\"SKU-7\",\"qty\":1}],"
        + "\"tags\":[\"a\",\"b\",true,2.5,null],\"nested\":{\"a\":{\"b\":" + n % 7 + "}}}";
  }
}
