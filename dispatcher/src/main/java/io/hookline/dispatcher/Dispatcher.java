package io.hookline.dispatcher;

import io.hookline.dispatcher.adapter.in.kafka.InputConsumer;
import io.hookline.dispatcher.adapter.in.kafka.OrderedConsumer;
import io.hookline.dispatcher.adapter.in.kafka.RedeliveryOwnership;
import io.hookline.dispatcher.adapter.in.kafka.OperationalEventsRelay;
import io.hookline.dispatcher.adapter.out.kafka.KafkaOperationalEvents;
import io.hookline.dispatcher.adapter.out.kafka.KafkaWebhookStates;
import io.hookline.dispatcher.adapter.out.http.HttpWebhookEndpoint;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.adapter.out.kafka.KafkaOutcomeLog;
import io.hookline.dispatcher.adapter.out.kafka.MirroredEventTypes;
import io.hookline.dispatcher.adapter.out.kafka.MirroredSubscriptions;
import io.hookline.dispatcher.application.DeliveryMetrics;
import io.hookline.dispatcher.application.DeliveryService;
import io.hookline.dispatcher.application.EndpointMonitor;
import io.hookline.dispatcher.application.OperatorNotifications;
import io.hookline.dispatcher.application.ExecutionParking;
import io.hookline.dispatcher.application.FatalFailure;
import io.hookline.dispatcher.application.SubscriptionGate;
import io.hookline.dispatcher.application.SubscriptionSync;
import io.hookline.dispatcher.domain.EndpointLifecycle;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.TargetPolicy;
import io.hookline.schemas.HooklineTopics;
import io.hookline.runtime.GroupMembership;
import io.hookline.runtime.SecretCipher;
import io.hookline.runtime.TopicProvisioner;
import io.hookline.runtime.management.ProbeResult;
import io.hookline.runtime.metrics.KafkaClientMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dispatcher: creates the topics, loads every webhook, then consumes events and
 * redeliveries on its own thread until {@link #close()} or a fatal failure. Assembles the
 * adapters around the {@link DeliveryService}; holds no delivery logic itself.
 *
 * <p>{@link #close()} is graceful: no new records, in-flight requests finish (up to the delivery
 * timeout), every outcome is flushed, offsets are committed, then clients close.
 */
public final class Dispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(10);
  /** Failure streaks of webhooks kept in memory for the disable-after clock (a few MiB at most). */
  private static final int TRACKED_FAILURE_STREAKS = 100_000;
  /** When an operational webhook that failed is sent again; then it is skipped. */
  private static final List<Duration> OPERATOR_RETRY_DELAYS =
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
  /** The input loop polls every 100 ms while it runs; this long without a poll means it is stuck. */
  static final Duration WEDGED_AFTER = Duration.ofSeconds(60);

  private final DispatcherSettings settings;
  private final HooklineTopics topics;
  private final FatalFailure fatal;
  private final KafkaOutcomeLog log;
  private final MirroredSubscriptions subscriptions;
  private final HttpWebhookEndpoint endpoint;
  private final InputConsumer input;
  private final DeliveryService delivery;
  private final SubscriptionGate gate;
  private final OperationalEventsRelay relay;
  private MirroredEventTypes eventTypes;
  private final CompletableFuture<Throwable> terminated = new CompletableFuture<>();
  private volatile boolean closed;

  private Dispatcher(DispatcherSettings settings, HooklineTopics topics, FatalFailure fatal, KafkaOutcomeLog log,
      MirroredSubscriptions subscriptions, HttpWebhookEndpoint endpoint, InputConsumer input, DeliveryService delivery,
      SubscriptionGate gate, OperationalEventsRelay relay) {
    this.relay = relay;
    this.settings = settings;
    this.topics = topics;
    this.fatal = fatal;
    this.log = log;
    this.subscriptions = subscriptions;
    this.endpoint = endpoint;
    this.input = input;
    this.delivery = delivery;
    this.gate = gate;
  }

  /**
   * @throws IllegalArgumentException naming HOOKLINE_SECRETS_KEY when the key is missing or
   *     malformed: without it no secret could be read, so nothing is started
   */
  public static Dispatcher start(DispatcherSettings s) {
    return start(s, OperationalSettings.defaults(), DeliveryMetrics.NONE, KafkaClientMeters.none());
  }

  /**
   * Like {@link #start(DispatcherSettings)}, with endpoint lifecycle and operational events as
   * {@code ops} says: the dispatcher raises them, disables endpoints, and sends the events to the
   * operator's URL if one is set.
   */
  public static Dispatcher start(DispatcherSettings s, OperationalSettings ops) {
    return start(s, ops, DeliveryMetrics.NONE, KafkaClientMeters.none());
  }

  /**
   * Starts a dispatcher that counts its work in {@code metrics} and binds its Kafka clients to
   * {@code meters}.
   */
  public static Dispatcher start(DispatcherSettings s, DeliveryMetrics metrics, KafkaClientMeters meters) {
    return start(s, OperationalSettings.defaults(), metrics, meters);
  }

  /** The dispatcher with operational events as {@code ops} says, counting in {@code metrics} and {@code meters}. */
  public static Dispatcher start(DispatcherSettings s, OperationalSettings ops, DeliveryMetrics metrics,
      KafkaClientMeters meters) {
    return start(s, ops, metrics, meters, GroupMembership.dynamic());
  }

  /**
   * Like {@link #start(DispatcherSettings, OperationalSettings, DeliveryMetrics, KafkaClientMeters)},
   * its consumer groups joined as {@code membership} says (static under an instance id, or dynamic).
   */
  public static Dispatcher start(DispatcherSettings s, OperationalSettings ops, DeliveryMetrics metrics,
      KafkaClientMeters meters, GroupMembership membership) {
    SecretCipher cipher = SecretCipher.fromBase64Keys(s.secretsKey(), s.secretsPreviousKeys(), "HOOKLINE_SECRETS_KEY",
        "HOOKLINE_SECRETS_PREVIOUS_KEYS");
    HooklineTopics topics = new HooklineTopics(s.topics(), s.retrySchedule());
    Map<String, Object> client = new HashMap<>();
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    FatalFailure fatal = new FatalFailure();
    KafkaOutcomeLog log = new KafkaOutcomeLog(topics, client, meters);
    provision(topics, client, log);
    MirroredSubscriptions subscriptions = new MirroredSubscriptions(topics, client, meters);
    MirroredEventTypes eventTypes = new MirroredEventTypes(topics, client, meters);
    HttpWebhookEndpoint endpoint = new HttpWebhookEndpoint(s.deliveryTimeout(), s.responseExcerptBytes(),
        new TargetPolicy(s.allowPrivateTargets()));
    // Compiles the delivery path on synthetic events while the webhooks load (mostly waiting on the broker).
    DispatcherWarmUp warming = DispatcherWarmUp.start(s, topics, cipher, eventTypes, metrics);
    try {
      subscriptions.start(STARTUP_TIMEOUT);
      eventTypes.start(STARTUP_TIMEOUT);
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      warming.close();
      subscriptions.close();
      eventTypes.close();
      log.close();
      endpoint.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot load the webhooks from " + topics.webhooks().name() + ": " + e.getMessage(), e);
    }
    EndpointMonitor monitor = new EndpointMonitor(new EndpointLifecycle(ops.disableAfter(), TRACKED_FAILURE_STREAKS),
        new KafkaOperationalEvents(topics, log), new KafkaWebhookStates(topics, subscriptions, log), subscriptions,
        ForkJoinPool.commonPool());
    subscriptions.onChange(monitor::webhookChanged);
    RedeliveryOwnership ownership = new RedeliveryOwnership(topics.redeliveries());
    DeliveryService delivery = new DeliveryService(subscriptions, endpoint, new ContractEventBodies(), log,
        new RetryPolicy(s.retrySchedule()), s.limits(), s.isolation(), Clock.systemUTC(), fatal, cipher,
        ExecutionParking.parkingThread(), monitor, metrics, s.throttling(), ownership);
    Map<String, Object> member = membership.consumerProps(client);
    OperationalEventsRelay relay = ops.webhookUrl() == null ? null
        : new OperationalEventsRelay(member, ops.relayGroupId(s.groupId()), topics,
            new OperatorNotifications(ops.webhookUrl(), ops.webhookSecret(), endpoint, OPERATOR_RETRY_DELAYS,
                Clock.systemUTC()), s.deliveryTimeout()).start();
    // Events wait until both the webhooks and the event types written before them are in effect
    // (one ListOffsets round trip for both topics per look-up).
    SubscriptionSync lookUp = subscriptions.catchUpWith(eventTypes);
    warmUp(log, lookUp);
    warming.awaitDone();
    SubscriptionGate gate = new SubscriptionGate(lookUp, fatal, metrics);
    InputConsumer input = new InputConsumer(member, s.groupId(), topics, delivery, gate, log, fatal, s.maxQueued(),
        s.deliveryTimeout().plusSeconds(1), s.commitInterval(), meters, ownership).validating(eventTypes)
        .reading(new OrderedConsumer(member, s.groupId(), topics, delivery, meters));
    Dispatcher d = new Dispatcher(s, topics, fatal, log, subscriptions, endpoint, input, delivery, gate, relay);
    d.eventTypes = eventTypes;
    Thread t = new Thread(() -> {
      try {
        input.run();
      } finally {
        d.terminated.complete(fatal.get());
      }
    }, "dispatcher-input");
    t.start();
    LOG.info("Dispatcher consuming {} and {} as group {}, {} (retries {}, timeout {}, in flight {}/{} per webhook, "
        + "breaker after {} failures for {}, {} queued per webhook)",
        topics.events().name(), topics.redeliveries().name(), s.groupId(), membership, s.retrySchedule(), s.deliveryTimeout(),
        s.maxInFlight(), s.maxInFlightPerWebhook(), s.breakerFailureThreshold(), s.breakerOpenDuration(),
        s.maxQueuedPerWebhook());
    LOG.info("Endpoints disabled after failing for {} (0: never); operational events to {}",
        ops.disableAfter(), ops.webhookUrl() == null ? "no operator URL" : ops.webhookUrl());
    return d;
  }

  /**
   * Work done once before the first event rather than with it: the outcome producer learns its
   * topics' partitions, and the input gate's admin client its partition leaders and its connection
   * (one look-up), so the first deliveries do not wait for them.
   */
  private static void warmUp(KafkaOutcomeLog log, SubscriptionSync lookUp) {
    try {
      log.fetchMetadata();
      lookUp.catchUp().get(WARM_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("Start-up warm-up incomplete, the first deliveries do it: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Creates every catalogue topic before anything consumes or produces. */
  private static void provision(HooklineTopics topics, Map<String, Object> client, KafkaOutcomeLog log) {
    try (Admin admin = Admin.create(client)) {
      TopicProvisioner.ensureTopics(admin, topics, STARTUP_TIMEOUT);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** Completes when consuming stopped, with the fatal failure or null after a clean stop. */
  public CompletableFuture<Throwable> terminated() {
    return terminated;
  }

  /** The failure that stopped the dispatcher, or null. */
  public Throwable failure() {
    return fatal.get();
  }

  /**
   * Waits until the webhook written at {@code offset} of {@code partition} of the webhooks topic is
   * in effect here (read-your-writes for whoever just changed a subscription).
   */
  public void awaitWebhooksApplied(int partition, long offset, Duration timeout) throws TimeoutException, InterruptedException {
    subscriptions.awaitApplied(partition, offset, timeout);
  }

  /** Executions waiting or in flight, plus input records held until the subscriptions are up to date. */
  public int backlog() {
    return input.backlog();
  }

  /** How long input was held until the subscriptions included every change written before it. */
  public SubscriptionGate.Holds subscriptionGateHolds() {
    return gate.holds();
  }

  /** True while input is paused because the backlog passed {@code max-queued}. */
  public boolean inputPaused() {
    return input.paused();
  }

  /** How many times input was paused since start. */
  public long inputPauses() {
    return input.pauses();
  }

  /** Executions parked, tried without a call because their breaker was open, and breakers opened, since start. */
  public DeliveryService.IsolationCounts isolationCounts() {
    return delivery.isolationCounts();
  }

  /** Requests in flight now. */
  public int inFlight() {
    return delivery.inFlight();
  }

  /** Executions admitted and waiting for a slot (not in flight), and diverted ones not parked yet. */
  public int queued() {
    return Math.max(0, delivery.admitted() - delivery.inFlight());
  }

  /** Input records held at the subscription gate now. */
  public int heldAtGate() {
    return gate.held();
  }

  /** Webhooks whose circuit breaker is open or half-open now. */
  public int breakersOpen() {
    return delivery.breakersOpen();
  }
  /** Counts undecodable records of the webhooks topic in {@code registry}. */
  public void bindWebhookMeters(io.micrometer.core.instrument.MeterRegistry registry) {
    subscriptions.bindUndecodableMeters(registry);
  }


  /**
   * Ready to deliver: the consumer group gave this instance its assignment, and the webhooks are
   * current (the whole topic loaded, the mirror following it); not after a fatal failure. A webhook
   * whose latest record cannot be decoded is named under {@code webhooks_degraded} with the reason.
   */
  public ProbeResult readiness() {
    Throwable failure = fatal.get();
    if (failure != null) {
      return ProbeResult.down("stopped: " + failure);
    }
    String webhooks = subscriptions.notCurrent();
    if (webhooks != null) {
      return ProbeResult.down(Map.of("webhooks", webhooks));
    }
    String types = eventTypes.notCurrent();
    if (types != null) {
      return ProbeResult.down(Map.of("event_types", types));
    }
    if (!input.assigned()) {
      return ProbeResult.down(Map.of("input", "waiting for the consumer group's assignment"));
    }
    Map<String, String> undecodable = subscriptions.undecodable();
    if (!undecodable.isEmpty()) {
      // Ready still: those webhooks deliver with their previous version, every other one as usual.
      return ProbeResult.up(Map.of("in_flight", inFlight(), "queued", queued(), "input_paused", input.paused(),
          "webhooks_degraded", "previous version in force for " + undecodable));
    }
    return ProbeResult.up(Map.of("in_flight", inFlight(), "queued", queued(), "input_paused", input.paused()));
  }

  /**
   * Alive unless wedged: the input loop ended (a fatal failure: the application exits), or it has
   * not polled for {@link #WEDGED_AFTER}.
   */
  public ProbeResult liveness() {
    Throwable failure = fatal.get();
    if (failure != null) {
      return ProbeResult.down("stopped: " + failure);
    }
    if (!input.running() && !closed()) {
      return ProbeResult.down("the input loop has ended");
    }
    Duration since = input.sinceLastPoll();
    if (since.compareTo(WEDGED_AFTER) > 0) {
      return ProbeResult.down("the input loop has not polled for " + since.toSeconds() + " s");
    }
    return ProbeResult.up(Map.of());
  }

  private boolean closed() {
    return closed;
  }

  public HooklineTopics topics() {
    return topics;
  }

  public DispatcherSettings settings() {
    return settings;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (relay != null) {
      relay.close();
    }
    input.stop();
    try {
      if (!input.awaitFinished(settings.deliveryTimeout().plusSeconds(20))) {
        LOG.warn("The input consumer did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endpoint.close();
    subscriptions.close();
    eventTypes.close();
    log.close();
    LOG.info("Dispatcher stopped");
  }
}
