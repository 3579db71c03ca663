package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.EndpointLifecycle;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.OperationalEvent;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.Webhook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches endpoints for the people who run Hookline: raises the operational events of the
 * dispatcher (endpoint failing and recovered when a webhook's circuit breaker opens and closes,
 * execution exhausted when an execution is dead-lettered after an attempt) and carries out the
 * endpoint lifecycle that {@link EndpointLifecycle} decides (disable on 410 Gone or after failing
 * for the disable-after period, and store the failure streak).
 *
 * <p>Guarantees: the events and webhook writes that follow an attempt are handed back to the
 * caller, who releases the attempt's input record only once they are written, like the attempt
 * itself: after a crash they are written again, with the same event ids. They never stop delivery:
 * a write that fails is logged and counts as done. Breaker events are as durable as the breaker,
 * which lives in memory: they are written as they happen, not tied to any input record, and a
 * restarted dispatcher starts with closed breakers (an endpoint still failing opens its breaker,
 * and says so, again). One disable and one streak write per webhook is in progress at a time, so a
 * burst of 410 answers disables once.
 */
public final class EndpointMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointMonitor.class);

  private final EndpointLifecycle lifecycle;
  private final OperationalEvents events;
  private final WebhookStates states;
  private final Subscriptions subscriptions;
  private final Executor writes;
  private final Set<String> disabling = ConcurrentHashMap.newKeySet();
  private final Set<String> recordingStreak = ConcurrentHashMap.newKeySet();

  /**
   * @param writes where a write that follows another one is started: never the thread that
   *     completed the first (the producer's I/O thread, where a send that must wait for metadata
   *     would wait for that very thread)
   */
  public EndpointMonitor(EndpointLifecycle lifecycle, OperationalEvents events, WebhookStates states,
      Subscriptions subscriptions, Executor writes) {
    this.writes = writes;
    this.lifecycle = lifecycle;
    this.events = events;
    this.states = states;
    this.subscriptions = subscriptions;
  }

  /** A monitor that raises nothing and never disables: for a delivery engine run without one. */
  public static EndpointMonitor off() {
    WebhookStates unchanged = new WebhookStates() {
      @Override
      public CompletableFuture<Boolean> disable(String webhookId, String reason, long now) {
        return CompletableFuture.completedFuture(false);
      }

      @Override
      public CompletableFuture<Void> failingSince(String webhookId, Long since, long now) {
        return CompletableFuture.completedFuture(null);
      }
    };
    Subscriptions none = new Subscriptions() {
      @Override
      public List<Webhook> subscribersOf(String portal, String event) {
        return List.of();
      }

      @Override
      public Optional<Webhook> find(String webhookId) {
        return Optional.empty();
      }
    };
    return new EndpointMonitor(new EndpointLifecycle(Duration.ZERO, 1), event -> CompletableFuture.completedFuture(null),
        unchanged, none, Runnable::run);
  }

  /**
   * The attempt {@code e} made to {@code webhook} ended in {@code outcome} at {@code now}, and
   * {@code decision} follows (null after a delivery). Returns the writes it caused.
   */
  List<CompletableFuture<Void>> attempted(Execution e, Webhook webhook, DeliveryOutcome outcome,
      RetryPolicy.Decision decision, long now) {
    EndpointLifecycle.Step step = lifecycle.afterAttempt(webhook, outcome, now);
    boolean exhausted = decision instanceof RetryPolicy.GiveUp;
    if (!exhausted && step instanceof EndpointLifecycle.Keep) {
      return List.of(); // every delivery of a healthy endpoint
    }
    List<CompletableFuture<Void>> writes = new ArrayList<>(2);
    if (decision instanceof RetryPolicy.GiveUp giveUp && outcome instanceof DeliveryOutcome.Failed failed) {
      writes.add(logged(events.publish(OperationalEvent.exhausted(webhook, e.id(), e.attempt(), giveUp.retries(), failed,
          now)), "execution.exhausted of " + e.id()));
    }
    if (step instanceof EndpointLifecycle.Disable disable) {
      writes.add(disable(e, webhook, disable, outcome, now));
    } else if (step instanceof EndpointLifecycle.RecordFailingSince record) {
      writes.add(streak(webhook.id(), record.since(), now));
    } else if (step instanceof EndpointLifecycle.ClearFailingSince) {
      writes.add(streak(webhook.id(), null, now));
    }
    return writes;
  }

  /** The webhook's breaker opened (from closed) after {@code consecutiveFailures} failures. */
  void breakerOpened(String webhookId, int consecutiveFailures, long now) {
    subscriptions.find(webhookId).ifPresent(w ->
        logged(events.publish(OperationalEvent.failing(w, consecutiveFailures, now)), "endpoint.failing of " + webhookId));
  }

  /** The webhook's breaker closed again. */
  void breakerClosed(String webhookId, long now) {
    subscriptions.find(webhookId).ifPresent(w ->
        logged(events.publish(OperationalEvent.recovered(w, now)), "endpoint.recovered of " + webhookId));
  }

  /** The stored webhook changed (null: absent); re-enabling it or a new URL restarts its clock. */
  public void webhookChanged(Webhook before, Webhook now) {
    lifecycle.webhookChanged(before, now);
  }

  private CompletableFuture<Void> disable(Execution e, Webhook webhook, EndpointLifecycle.Disable why,
      DeliveryOutcome outcome, long now) {
    if (!disabling.add(webhook.id())) {
      return CompletableFuture.completedFuture(null);
    }
    String errorCode = outcome instanceof DeliveryOutcome.Failed f ? f.reason().name() : null;
    CompletableFuture<Void> done = states.disable(webhook.id(), why.reason(), now)
        .thenComposeAsync(disabled -> {
          if (!disabled) {
            return CompletableFuture.<Void>completedFuture(null);
          }
          LOG.warn("Webhook {} ({}) disabled: {}", webhook.id(), webhook.url(), why.reason());
          return events.publish(OperationalEvent.disabled(webhook, why, e.id(), e.attempt(), errorCode, now));
        }, writes)
        .whenComplete((ok, error) -> disabling.remove(webhook.id()));
    return logged(done, "disabling webhook " + webhook.id());
  }

  private CompletableFuture<Void> streak(String webhookId, Long since, long now) {
    if (!recordingStreak.add(webhookId)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = states.failingSince(webhookId, since, now)
        .whenComplete((ok, error) -> recordingStreak.remove(webhookId));
    return logged(done, (since == null ? "clearing" : "storing") + " the failure streak of webhook " + webhookId);
  }

  /** Completes normally either way: an operational write that fails is logged, never fatal. */
  private static CompletableFuture<Void> logged(CompletableFuture<Void> write, String what) {
    return write.handle((ok, error) -> {
      if (error != null) {
        LOG.error("Could not write {}: {}", what, error.getMessage());
      }
      return null;
    });
  }
}
