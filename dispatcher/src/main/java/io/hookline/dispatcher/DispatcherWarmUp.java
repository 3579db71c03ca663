package io.hookline.dispatcher;

import io.hookline.dispatcher.adapter.in.kafka.RedeliveryOwnership;
import io.hookline.dispatcher.adapter.in.kafka.SyntheticEvents;
import io.hookline.dispatcher.adapter.out.http.HttpWebhookEndpoint;
import io.hookline.dispatcher.adapter.out.http.LoopbackReceiver;
import io.hookline.dispatcher.adapter.out.kafka.ContractEventBodies;
import io.hookline.dispatcher.adapter.out.kafka.KafkaOutcomeLog;
import io.hookline.dispatcher.application.DeliveryMetrics;
import io.hookline.dispatcher.application.DeliveryService;
import io.hookline.dispatcher.application.EndpointMonitor;
import io.hookline.dispatcher.application.EventValidation;
import io.hookline.dispatcher.application.ExecutionParking;
import io.hookline.dispatcher.application.FatalFailure;
import io.hookline.dispatcher.application.FixedSubscriptions;
import io.hookline.dispatcher.application.JitWarmUp;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.TargetPolicy;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.HooklineTopics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up ({@code hookline.dispatcher-warm-up}): before the dispatcher joins its
 * consumer group, synthetic events go through a second delivery pipeline made of the same classes
 * as the real one ({@link SyntheticEvents} as the input consumer reads a record, a {@link
 * DeliveryService}, an {@link HttpWebhookEndpoint} with the same settings, a {@link KafkaOutcomeLog})
 * to a {@link LoopbackReceiver}, so that the JIT compiles the delivery path before the first real
 * event instead of while events pile up ({@link JitWarmUp}). Same classes, so the call sites the JIT
 * compiles see the types production uses and nothing is compiled twice.
 *
 * <p>Nothing of it can be seen from outside: its webhooks exist only in its own {@link
 * FixedSubscriptions} (the real ones are never read), its requests go to its own receiver on
 * 127.0.0.1 only, its outcome log serializes every record and drops it ({@link
 * KafkaOutcomeLog#dropping}: no Kafka client, no topic, no offset), its metrics count in a registry
 * nobody reads ({@link DeliveryMetrics#detached}), and it raises no operational events ({@link
 * EndpointMonitor#off}). A failure of the warm-up is logged and the dispatcher starts cold.
 *
 * <p>It runs on a thread of its own, started while the dispatcher loads the webhooks and event
 * types (mostly waiting on the broker), and {@link #awaitDone} ends it before the input consumer
 * starts. It stops after {@link #MAX_EVENTS} events, at its time budget, or once the JIT is idle after
 * {@link #MIN_EVENTS}, whichever comes first.
 */
public final class DispatcherWarmUp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherWarmUp.class);

  /**
   * Events before the warm-up may end because the JIT is idle: past the invocation counts at which
   * the JIT's optimizing tier takes over (thousands), so idle means done rather than not started.
   */
  static final long MIN_EVENTS = 15_000;
  /** Events after which the warm-up stops within its budget. */
  static final long MAX_EVENTS = 50_000;
  /** Synthetic input records unfinished at most: enough to keep the client and the receiver busy on few connections. */
  static final int WINDOW = 64;
  /** The name of every synthetic event. */
  public static final String EVENT = "hookline.warm-up";
  /** The synthetic portals are this followed by a number. */
  public static final String PORTAL_PREFIX = "hookline-warm-up-";
  /** Webhooks of the warm-up: the first three share a portal (a fan-out of three), the others have one each. */
  private static final int WEBHOOKS = 16;

  /** What a warm-up did: {@code requests} answered by its receiver. */
  public record Report(JitWarmUp.Result result, long requests) {}

  private final Thread thread;
  private final CompletableFuture<Report> done = new CompletableFuture<>();
  private final Duration waitAtMost;
  private volatile JitWarmUp warmUp;

  private DispatcherWarmUp(DispatcherSettings s, HooklineTopics topics, SecretCipher cipher, EventValidation validation,
      DeliveryMetrics metrics) {
    // Its budget, then the drain of what is in flight, then closing the client and the receiver.
    this.waitAtMost = s.warmUp().plus(s.deliveryTimeout()).plusSeconds(10);
    this.thread = new Thread(() -> {
      try {
        done.complete(run(s, topics, cipher, validation, metrics));
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, "dispatcher-warm-up");
    thread.setDaemon(true);
  }

  /** Starts the warm-up on its own thread; with a budget of zero, nothing is started. */
  public static DispatcherWarmUp start(DispatcherSettings s, HooklineTopics topics, SecretCipher cipher,
      EventValidation validation, DeliveryMetrics metrics) {
    DispatcherWarmUp w = new DispatcherWarmUp(s, topics, cipher, validation, metrics);
    if (s.warmUp().isZero()) {
      w.done.complete(null);
    } else {
      w.thread.start();
    }
    return w;
  }

  /** Waits until the warm-up has ended and logs what it did; empty when it was off or failed. */
  public Optional<Report> awaitDone() {
    try {
      Report report = done.get(waitAtMost.toMillis(), TimeUnit.MILLISECONDS);
      if (report != null) {
        JitWarmUp.Result r = report.result();
        LOG.info("Warm-up: {} synthetic events, {} requests to 127.0.0.1, in {} ms (ended by {}; process CPU {} ms,"
            + " JIT {} ms); nothing written to Kafka or counted", r.finished(), report.requests(), r.elapsed().toMillis(),
            r.end(), r.processCpu() == null ? "?" : r.processCpu().toMillis(),
            r.compiling() == null ? "?" : r.compiling().toMillis());
      }
      return Optional.ofNullable(report);
    } catch (ExecutionException e) {
      LOG.warn("The start-up warm-up failed, the dispatcher starts cold: {}", e.getCause().toString());
    } catch (TimeoutException e) {
      LOG.warn("The start-up warm-up did not end within {}, the dispatcher starts without it", waitAtMost);
      close();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /** Stops the warm-up if it still runs (its requests in flight finish or time out on its own thread). */
  @Override
  public void close() {
    JitWarmUp running = warmUp;
    if (running != null) {
      running.stop();
    }
  }

  private Report run(DispatcherSettings s, HooklineTopics topics, SecretCipher cipher, EventValidation validation,
      DeliveryMetrics metrics) {
    try (LoopbackReceiver receiver = LoopbackReceiver.start();
        HttpWebhookEndpoint endpoint = new HttpWebhookEndpoint(s.deliveryTimeout(), s.responseExcerptBytes(),
            new TargetPolicy(true));
        KafkaOutcomeLog log = KafkaOutcomeLog.dropping(topics)) {
      List<Webhook> webhooks = webhooks(receiver, cipher);
      FatalFailure fatal = new FatalFailure();
      DeliveryService delivery = new DeliveryService(new FixedSubscriptions(webhooks), endpoint, new ContractEventBodies(),
          log, new RetryPolicy(s.retrySchedule()), s.limits(), s.isolation(), Clock.systemUTC(), fatal, cipher,
          ExecutionParking.parkingThread(), EndpointMonitor.off(), metrics.detached(), s.throttling(),
          new RedeliveryOwnership(topics.redeliveries()));
      try {
        List<String> portals = webhooks.stream().map(Webhook::portal).distinct().toList();
        warmUp = new JitWarmUp(new SyntheticEvents(topics, delivery, validation, portals, EVENT), MIN_EVENTS,
            MAX_EVENTS, s.warmUp(), WINDOW, s.deliveryTimeout().plusSeconds(1));
        JitWarmUp.Result result = warmUp.run();
        if (fatal.get() != null) {
          throw new IllegalStateException("the warm-up's delivery path failed", fatal.get());
        }
        return new Report(result, receiver.requests());
      } finally {
        delivery.stop();
      }
    }
  }

  /** Webhooks on the receiver, each with a secret of its own (encrypted as stored), some with a custom header. */
  private static List<Webhook> webhooks(LoopbackReceiver receiver, SecretCipher cipher) {
    SecureRandom random = new SecureRandom();
    long now = System.currentTimeMillis();
    List<Webhook> webhooks = new ArrayList<>();
    for (int i = 0; i < WEBHOOKS; i++) {
      String id = "warm-up-" + i;
      byte[] key = new byte[24];
      random.nextBytes(key);
      String secret = cipher.encrypt("whsec_" + Base64.getEncoder().encodeToString(key), id);
      Map<String, String> headers = i % 8 == 7 ? Map.of("X-Hookline-Warm-Up", "true") : Map.of();
      webhooks.add(new Webhook(id, PORTAL_PREFIX + Math.max(0, i - 2), receiver.url("/warm-up/" + i), List.of(EVENT), true,
          List.of(new SigningSecret(secret, now, null)), null, null, headers));
    }
    return webhooks;
  }
}
