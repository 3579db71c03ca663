package io.hookline.schemas;

import io.hookline.avro.Attempt;
import io.hookline.avro.EventType;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.OperationalEvent;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Webhook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of Hookline's topics: every topic name is spelled here and nowhere else. Built from
 * the configured prefix and retry schedule, immutable, and passed to whoever needs a topic.
 *
 * <p>Keys: input events by portal (or entity); everything after fan-out by webhook id, so all the
 * records of one webhook share a partition and keep their order.
 */
public final class HooklineTopics {

  private static final Serde<String> KEYS = Serdes.String();
  private static final Serde<byte[]> BYTES = Serdes.ByteArray();

  private final TopicSettings settings;
  private final RetrySchedule schedule;
  private final Topic<String, byte[]> events;
  private final Topic<byte[], byte[]> eventsInvalid;
  private final Topic<String, Webhook> webhooks;
  private final Topic<String, Attempt> attempts;
  private final Topic<String, RetryRequest> redeliveries;
  private final Topic<String, FailedExecution> deadLetter;
  private final Topic<String, RetryRequest> parked;
  private final Topic<String, OperationalEvent> operational;
  private final Map<Duration, Topic<String, RetryRequest>> retries;
  private final Topic<String, EventType> eventTypes;
  private final Topic<String, RetryRequest> ordered;

  public HooklineTopics(TopicSettings settings, RetrySchedule schedule) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    Map<String, String> retained = Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis()));
    this.events = topic("events", KEYS, BYTES, retained);
    this.eventsInvalid = topic("events.invalid", BYTES, BYTES, retained);
    this.webhooks =
        topic(
            "webhooks",
            KEYS,
            avro(Webhook.class, "webhooks"),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"));
    this.attempts = topic("attempts", KEYS, avro(Attempt.class, "attempts"), retained);
    this.redeliveries = topic("redeliveries", KEYS, avro(RetryRequest.class, "redeliveries"), retained);
    this.deadLetter = topic("dead-letter", KEYS, avro(FailedExecution.class, "dead-letter"), retained);
    this.parked = topic("parked", KEYS, avro(RetryRequest.class, "parked"), retained);
    this.operational = topic("operational", KEYS, avro(OperationalEvent.class, "operational"), retained);
    Map<Duration, Topic<String, RetryRequest>> byDelay = new LinkedHashMap<>();
    for (Duration delay : schedule.distinctDelays()) {
      // A retry record must outlive its delay by a wide margin, whatever the general retention.
      long keep = Math.max(settings.retention().toMillis(), delay.multipliedBy(10).toMillis());
      byDelay.put(
          delay,
          topic("retry." + schedule.label(delay), KEYS, avro(RetryRequest.class, "retry." + schedule.label(delay)),
              Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep))));
    }
    this.retries = Map.copyOf(byDelay);
    this.eventTypes = topic("event-types", KEYS, AvroSerde.of(EventType.class), Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"));
    this.ordered = topic("ordered", KEYS, avro(RetryRequest.class, "ordered"), retained);
  }

  /**
   * The value serde of an Avro topic: single-object encoding, or with a schema registry its wire
   * format under the subject {@code <topic>-value} (keys are strings and are not registered).
   */
  private <V extends SpecificRecord> AvroSerde<V> avro(Class<V> type, String suffix) {
    SchemaRegistryClient registry = settings.schemaRegistry();
    if (registry == null) {
      return AvroSerde.of(type);
    }
    return AvroSerde.withRegistry(type, registry, AvroSerde.subject(settings.prefix() + suffix));
  }

  /** The schema registry the Avro topics use, or null for none (single-object encoding). */
  public SchemaRegistryClient schemaRegistry() {
    return settings.schemaRegistry();
  }

  private <K, V> Topic<K, V> topic(String suffix, Serde<K> k, Serde<V> v, Map<String, String> configs) {
    // Every topic carries its own min.insync.replicas, so acks=all means the same whatever the
    // broker default is.
    Map<String, String> all = new LinkedHashMap<>(configs);
    all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Short.toString(settings.minInsyncReplicas()));
    return new Topic<>(settings.prefix() + suffix, k, v, settings.partitions(), all);
  }

  /** Input: events from producers, JSON or Avro single-object encoded, keyed by portal or entity. */
  public Topic<String, byte[]> events() {
    return events;
  }

  /** Input records that could not be decoded, with headers naming the reason. */
  public Topic<byte[], byte[]> eventsInvalid() {
    return eventsInvalid;
  }

  /** Subscriptions, compacted, keyed by webhook id; a tombstone deletes. */
  public Topic<String, Webhook> webhooks() {
    return webhooks;
  }

  /** Every delivery attempt, keyed by webhook id. */
  public Topic<String, Attempt> attempts() {
    return attempts;
  }

  /** Executions due now (scheduled retries that came due, and manual retries). */
  public Topic<String, RetryRequest> redeliveries() {
    return redeliveries;
  }

  /** Failed executions whose retries are exhausted, keyed by webhook id. */
  public Topic<String, FailedExecution> deadLetter() {
    return deadLetter;
  }

  /** The retry topic holding executions that wait {@code delay}. */
  public Topic<String, RetryRequest> retry(Duration delay) {
    Topic<String, RetryRequest> t = retries.get(delay);
    if (t == null) {
      throw new IllegalArgumentException(delay + " is not in the retry schedule " + schedule);
    }
    return t;
  }

  /**
   * Executions the dispatcher set aside without attempting them (their webhook's circuit breaker
   * was open, or its queue full), each waiting for its {@code due_at}; like the retry topics, the
   * retry scheduler moves them to {@link #redeliveries()} when due. Keyed by webhook id.
   */
  public Topic<String, RetryRequest> parked() {
    return parked;
  }

  /**
   * What operators want to know about webhooks (endpoint failing, recovered, disabled, executions
   * exhausted, webhooks created, updated, deleted), keyed by webhook id; a stream, not compacted.
   */
  public Topic<String, OperationalEvent> operational() {
    return operational;
  }

  /**
   * Event types, compacted, keyed by {@link #eventTypeKey}; a tombstone deletes. Written by the query
   * API, read by the dispatcher, which validates events against their type's schema.
   */
  public Topic<String, EventType> eventTypes() {
    return eventTypes;
  }

  /**
   * The executions of webhooks with ordering {@code "key"}, as first attempts due at once, keyed by
   * webhook id and written to the partition number of the webhook's partition of {@link
   * #redeliveries()}: the dispatcher that owns that partition reads them in order and delivers them
   * one at a time per ordering key ({@link OrderedHeaders}). Same partition count as the others.
   */
  public Topic<String, RetryRequest> ordered() {
    return ordered;
  }

  /** The key of an event type on {@link #eventTypes()}: portal names never hold a '/'. */
  public static String eventTypeKey(String portal, String name) {
    return portal + "/" + name;
  }

  /** Every topic whose records wait for their {@code due_at}: the retry topics, then the parked topic. */
  public List<Topic<String, RetryRequest>> delayedTopics() {
    List<Topic<String, RetryRequest>> out = retryTopics();
    out.add(parked);
    return out;
  }

  /** All retry topics, one per distinct delay, in schedule order. */
  public List<Topic<String, RetryRequest>> retryTopics() {
    List<Topic<String, RetryRequest>> out = new ArrayList<>();
    for (Duration d : schedule.distinctDelays()) {
      out.add(retries.get(d));
    }
    return out;
  }

  public RetrySchedule schedule() {
    return schedule;
  }

  public TopicSettings settings() {
    return settings;
  }

  /** Every topic Hookline uses, for creation at start-up. */
  public List<Topic<?, ?>> all() {
    List<Topic<?, ?>> all = new ArrayList<>(List.of(events, eventsInvalid, webhooks, attempts, redeliveries, deadLetter, operational));
    all.addAll(delayedTopics());
    all.add(eventTypes);
    all.add(ordered);
    return all;
  }
}
