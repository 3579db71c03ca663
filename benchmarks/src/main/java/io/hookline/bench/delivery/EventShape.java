package io.hookline.bench.delivery;

/**
 * What the delivery benchmark's events look like when an option asks for more than the default
 * ({@link BenchEvents#json}). Every contender of a run publishes the same events, so their figures stay
 * comparable, and the default run's events are unchanged.
 *
 * @param orderPayload {@code schema=true}: the payload is an order of thirteen properties (nested
 *     customer, items and shipping address) that {@link #ORDER_SCHEMA} accepts, instead of the default
 *     filler text
 * @param keys {@code ordering=key}: the number of distinct entity ids (the ordering key) of each
 *     webhook's events, taken in turn; 0 keeps the default single entity id
 * @param portals portals the events are spread over ({@link DeliverySettings#portals}), so that each
 *     portal's events cycle through all {@code keys}
 */
record EventShape(boolean orderPayload, int keys, int portals) {

  static final EventShape DEFAULT = new EventShape(false, 0, 1);

  /**
   * The JSON Schema (draft 2020-12) of the order payload: required fields, closed objects, patterns,
   * an enum, formats, bounds, as an event type of a real shop would declare it.
   */
  static final String ORDER_SCHEMA = """
      {"$schema": "https://json-schema.org/draft/2020-12/schema",
       "type": "object",
       "required": ["seq", "sent_us", "order_id", "customer", "status", "currency", "total_cents", "created_at", "items"],
       "additionalProperties": false,
       "properties": {
         "seq": {"type": "integer", "minimum": 0},
         "sent_us": {"type": "integer", "minimum": 0},
         "order_id": {"type": "string", "pattern": "^ord_[0-9a-z]{1,16}$"},
         "customer": {"type": "object", "required": ["id", "email"], "additionalProperties": false,
           "properties": {
             "id": {"type": "string", "pattern": "^cus_[0-9]{6}$"},
             "email": {"type": "string", "format": "email", "maxLength": 254},
             "name": {"type": "string", "minLength": 1, "maxLength": 200}}},
         "status": {"enum": ["pending", "paid", "shipped", "cancelled"]},
         "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
         "total_cents": {"type": "integer", "minimum": 0},
         "created_at": {"type": "string", "format": "date-time"},
         "items": {"type": "array", "minItems": 1, "maxItems": 100,
           "items": {"type": "object", "required": ["sku", "quantity", "unit_cents"], "additionalProperties": false,
             "properties": {
               "sku": {"type": "string", "pattern": "^SKU-[0-9]{5}$"},
               "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
               "unit_cents": {"type": "integer", "minimum": 0}}}},
         "shipping": {"type": "object", "required": ["line1", "city", "postal_code", "country"],
           "properties": {
             "line1": {"type": "string", "maxLength": 200},
             "city": {"type": "string", "maxLength": 100},
             "postal_code": {"type": "string", "pattern": "^[0-9A-Z -]{3,10}$"},
             "country": {"type": "string", "pattern": "^[A-Z]{2}$"}}},
         "tags": {"type": "array", "uniqueItems": true, "maxItems": 20, "items": {"type": "string", "maxLength": 50}},
         "coupon": {"type": ["string", "null"], "pattern": "^[A-Z0-9]{4,12}$"},
         "notes": {"type": "string", "maxLength": 1000}}}
      """;

  EventShape {
    if (keys < 0 || portals < 1) {
      throw new IllegalArgumentException("keys must be >= 0 and portals >= 1, were " + keys + " and " + portals);
    }
  }

  boolean isDefault() {
    return !orderPayload && keys == 0;
  }

  /** This shape as one command-line argument of a child JVM ({@link #parse}). */
  String arg() {
    return orderPayload + ":" + keys + ":" + portals;
  }

  static EventShape parse(String arg) {
    String[] parts = arg.split(":");
    return new EventShape(Boolean.parseBoolean(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }

  /** Event {@code seq} for {@code webhook} (a portal index) in this shape; the default shape's is {@link BenchEvents#json}. */
  byte[] json(long seq, int webhook, long sentMicros) {
    if (isDefault()) {
      return BenchEvents.json(seq, webhook, sentMicros);
    }
    String entityId = keys == 0 ? BenchEvents.ENTITY_ID
        : Long.toString(Long.parseLong(BenchEvents.ENTITY_ID) + (seq / portals) % keys);
    String payload = orderPayload ? orderPayload(seq, sentMicros) : BenchEvents.defaultPayload(seq, sentMicros);
    return BenchEvents.json(webhook, entityId, payload);
  }

  /** An order {@link #ORDER_SCHEMA} accepts, its ids and amounts varying with {@code seq}; about 600 bytes. */
  static String orderPayload(long seq, long sentMicros) {
    long customer = seq % 1_000_000;
    int quantity = 1 + (int) (seq % 5);
    return "{\"seq\":" + seq + ",\"sent_us\":" + sentMicros + ",\"order_id\":\"ord_" + Long.toString(seq, 36) + "\","
        + "\"customer\":{\"id\":\"cus_" + String.format("%06d", customer) + "\",\"email\":\"buyer" + customer
        + "@example.com\",\"name\":\"Ada Lovelace\"},\"status\":\"paid\",\"currency\":\"EUR\","
        + "\"total_cents\":" + (quantity * 4995 + 3000) + ",\"created_at\":\"2026-12-07T15:04:05.123Z\","
        + "\"items\":[{\"sku\":\"SKU-10042\",\"quantity\":" + quantity + ",\"unit_cents\":4995},"
        + "{\"sku\":\"SKU-20007\",\"quantity\":1,\"unit_cents\":3000}],"
        + "\"shipping\":{\"line1\":\"12 Rue de la Paix\",\"city\":\"Paris\",\"postal_code\":\"75002\",\"country\":\"FR\"},"
        + "\"tags\":[\"web\",\"first-order\"],\"coupon\":null,"
        + "\"notes\":\"Leave the parcel with the concierge if nobody answers; call before delivery.\"}";
  }
}
