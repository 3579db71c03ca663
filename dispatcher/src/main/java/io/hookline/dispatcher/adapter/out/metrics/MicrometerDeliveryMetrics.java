package io.hookline.dispatcher.adapter.out.metrics;

import io.hookline.dispatcher.application.DeliveryMetrics;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.Trigger;
import io.hookline.schemas.InvalidEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The delivery metrics as Micrometer meters, served in the Prometheus format:
 *
 * <ul>
 *   <li>{@value #ATTEMPTS} ({@code hookline_delivery_attempts_total}) by {@code outcome}
 *       ({@code DELIVERED} or the error code) and {@code trigger};
 *   <li>{@value #DURATION} ({@code hookline_delivery_duration_seconds}), a histogram of the HTTP
 *       calls with buckets from 5 ms to 5 s ({@link #DURATION_BUCKETS});
 *   <li>{@value #DEAD_LETTERS}, {@value #PARKED} and {@value #INVALID} by {@code reason};
 *   <li>{@value #GATE_HOLD}, how long input waited at the subscription gate.
 * </ul>
 *
 * <p>Cheap on the delivery path: every (trigger, outcome) counter is resolved up front, so an
 * attempt costs an array read and an add, no tag building and no map look-up. With {@code
 * perWebhook} the attempts and durations also carry a {@code webhook} label, resolved once per
 * webhook (a map look-up per attempt).
 */
public final class MicrometerDeliveryMetrics implements DeliveryMetrics {

  static final String ATTEMPTS = "hookline.delivery.attempts";
  static final String DURATION = "hookline.delivery.duration";
  static final String DEAD_LETTERS = "hookline.dead.letters";
  static final String PARKED = "hookline.executions.parked";
  static final String INVALID = "hookline.invalid.records";
  static final String GATE_HOLD = "hookline.subscription.gate.hold";
  /** The outcome label of a delivered attempt; a failed one carries its error code. */
  static final String DELIVERED = "DELIVERED";
  static final String PROCESSING_ERROR = "PROCESSING_ERROR";

  /** Prometheus buckets of the delivery duration: webhooks answer in milliseconds to seconds, 5 s is the default timeout. */
  static final Duration[] DURATION_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);
  /** The gate holds input for one look-up of the webhooks topic's end offsets: milliseconds. */
  static final Duration[] GATE_BUCKETS = millis(1, 2, 5, 10, 25, 50, 100, 250, 1000);

  /** The counters and timer of one webhook label (or of all webhooks, without the label). */
  private static final class AttemptMeters {
    final EnumMap<Trigger, Counter[]> byTrigger = new EnumMap<>(Trigger.class);
    final Timer duration;

    AttemptMeters(MeterRegistry registry, Tags tags) {
      for (Trigger trigger : Trigger.values()) {
        Counter[] byOutcome = new Counter[FailureReason.values().length + 1];
        byOutcome[0] = attempts(registry, tags, trigger, DELIVERED);
        for (FailureReason reason : FailureReason.values()) {
          byOutcome[reason.ordinal() + 1] = attempts(registry, tags, trigger, reason.name());
        }
        byTrigger.put(trigger, byOutcome);
      }
      duration = Timer.builder(DURATION)
          .description("Duration of the HTTP calls of delivery attempts, connect included")
          .tags(tags)
          .serviceLevelObjectives(DURATION_BUCKETS)
          .register(registry);
    }

    private static Counter attempts(MeterRegistry registry, Tags tags, Trigger trigger, String outcome) {
      return Counter.builder(ATTEMPTS)
          .description("Delivery attempts by outcome (DELIVERED or the error code) and trigger")
          .tags(tags).tag("trigger", trigger.name()).tag("outcome", outcome)
          .register(registry);
    }

    void attempted(Trigger trigger, DeliveryOutcome outcome, long callNanos) {
      int index = outcome instanceof DeliveryOutcome.Failed failed ? failed.reason().ordinal() + 1 : 0;
      byTrigger.get(trigger)[index].increment();
      if (callNanos >= 0) {
        duration.record(callNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  private final MeterRegistry registry;
  private final AttemptMeters all;
  private final Map<String, AttemptMeters> byWebhook;
  private final EnumMap<FailureReason, Counter> deadLetters = new EnumMap<>(FailureReason.class);
  private final Map<String, Counter> parked = new ConcurrentHashMap<>();
  private final Map<String, Counter> invalid = new ConcurrentHashMap<>();
  private final Timer gateHold;

  /** @param perWebhook whether attempts and durations carry a {@code webhook} label */
  public MicrometerDeliveryMetrics(MeterRegistry registry, boolean perWebhook) {
    this.registry = registry;
    this.all = perWebhook ? null : new AttemptMeters(registry, Tags.empty());
    this.byWebhook = perWebhook ? new ConcurrentHashMap<>() : null;
    for (FailureReason reason : FailureReason.values()) {
      deadLetters.put(reason, Counter.builder(DEAD_LETTERS)
          .description("Executions written to the dead-letter topic, by the reason of their last failure")
          .tag("reason", reason.name())
          .register(registry));
    }
    for (String reason : new String[] {FailureReason.CIRCUIT_OPEN.name(), "QUEUE_FULL"}) {
      parkedCounter(reason);
    }
    for (InvalidEventException.Reason reason : InvalidEventException.Reason.values()) {
      invalidCounter(reason.name());
    }
    invalidCounter(PROCESSING_ERROR);
    gateHold = Timer.builder(GATE_HOLD)
        .description("How long polled input waited until the webhooks copy included every change written before it")
        .serviceLevelObjectives(GATE_BUCKETS)
        .register(registry);
  }

  /** The same meters on a registry of the same kind that is never scraped. */
  @Override
  public DeliveryMetrics detached() {
    MeterRegistry unread = registry instanceof PrometheusMeterRegistry
        ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : new SimpleMeterRegistry();
    return new MicrometerDeliveryMetrics(unread, all == null);
  }

  @Override
  public void attempted(String webhookId, Trigger trigger, DeliveryOutcome outcome, long callNanos) {
    AttemptMeters meters = all != null ? all
        : byWebhook.computeIfAbsent(webhookId, id -> new AttemptMeters(registry, Tags.of("webhook", id)));
    meters.attempted(trigger, outcome, callNanos);
  }

  @Override
  public void deadLettered(FailureReason reason) {
    deadLetters.get(reason).increment();
  }

  @Override
  public void parked(String reason) {
    parkedCounter(reason).increment();
  }

  @Override
  public void invalidRecord(String reason) {
    invalidCounter(reason).increment();
  }

  @Override
  public void gateHeld(long nanos) {
    gateHold.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter parkedCounter(String reason) {
    return parked.computeIfAbsent(reason, r -> Counter.builder(PARKED)
        .description("Executions parked until their webhook's breaker half-opens (CIRCUIT_OPEN) or its queue drains (QUEUE_FULL)")
        .tag("reason", r)
        .register(registry));
  }

  private Counter invalidCounter(String reason) {
    return invalid.computeIfAbsent(reason, r -> Counter.builder(INVALID)
        .description("Input records that could not be used, copied to the invalid-records topic, by reason")
        .tag("reason", r)
        .register(registry));
  }

  private static Duration[] millis(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofMillis(values[i]);
    }
    return out;
  }
}
