package io.hookline.queryapi.webhooks;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.queryapi.webhooks.domain.WebhookChanges;
import io.hookline.queryapi.webhooks.domain.WebhookRules;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The webhook use cases of one portal: create, read, change, delete and rotate the signing secret.
 * Validates input with {@link WebhookRules}, generates ids and secrets, and writes through the
 * {@link WebhookRepository}, so every answer reflects the write it follows.
 *
 * <p>Every change is told to {@link WebhookEvents} once it is stored (webhook.created, .updated,
 * .deleted operational events).
 *
 * <p>A webhook of another portal is treated exactly like an unknown id, so ids of other portals
 * cannot be probed. Changes to one webhook are serialised within this instance, so a concurrent
 * update and rotation cannot lose each other's change.
 */
public class WebhookService {

  private static final int LOCK_STRIPES = 64;

  private final WebhookRepository repository;
  private final WebhookEvents events;
  private final Clock clock;
  private final Duration secretGrace;
  private final SecureRandom random = new SecureRandom();
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  /** {@code secretGrace}: how long the previous signing secret keeps signing after a rotation. */
  public WebhookService(WebhookRepository repository, Clock clock, Duration secretGrace) {
    this(repository, WebhookEvents.none(), clock, secretGrace);
  }

  /** {@code events}: told of every change after it is stored. */
  public WebhookService(WebhookRepository repository, WebhookEvents events, Clock clock, Duration secretGrace) {
    this.repository = repository;
    this.events = events;
    this.clock = clock;
    this.secretGrace = secretGrace;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  public Webhook create(String portal, NewWebhook request) {
    if (request.url() == null) {
      throw new InvalidFieldException("url", "'url' is required");
    }
    if (request.events() == null) {
      throw new InvalidFieldException("events", "'events' is required");
    }
    String url = WebhookRules.url(request.url());
    List<String> events = WebhookRules.events(request.events());
    Instant now = now();
    SigningSecret secret = request.secret()
        .map(s -> SigningSecret.current(WebhookRules.secret(s), now))
        .orElseGet(() -> SigningSecret.generate(random, now));
    String id = newId();
    Webhook webhook = Webhook.create(id, portal, url, events, request.enabled().orElse(true), secret, now);
    return locked(id, () -> {
      repository.save(webhook);
      this.events.created(webhook);
      return webhook;
    });
  }

  public List<Webhook> list(String portal) {
    return repository.findByPortal(portal);
  }

  public Webhook get(String portal, String id) {
    return repository.find(id)
        .filter(w -> w.belongsTo(portal))
        .orElseThrow(() -> new WebhookNotFoundException(portal, id));
  }

  public Webhook update(String portal, String id, WebhookChanges changes) {
    if (changes.isEmpty()) {
      throw new InvalidFieldException("body", "at least one of 'url', 'events' or 'enabled' must be given");
    }
    WebhookChanges valid = new WebhookChanges(
        changes.url().map(WebhookRules::url), changes.events().map(WebhookRules::events), changes.enabled());
    return locked(id, () -> {
      Webhook before = get(portal, id);
      Webhook updated = before.update(valid, now());
      repository.save(updated);
      events.updated(before, updated);
      return updated;
    });
  }

  public void delete(String portal, String id) {
    locked(id, () -> {
      Webhook deleted = get(portal, id);
      repository.delete(id);
      events.deleted(deleted, now());
      return null;
    });
  }

  /** The secret currently signing the webhook's requests. */
  public SigningSecret secret(String portal, String id) {
    Webhook webhook = get(portal, id);
    return webhook.currentSecret()
        .orElseThrow(() -> new IllegalStateException("Webhook " + id + " has no current secret"));
  }

  /**
   * Replaces the current secret by a new random one; the previous one keeps signing for the
   * configured grace period. Returns the webhook with its new secrets.
   */
  public Webhook rotateSecret(String portal, String id) {
    return locked(id, () -> {
      Instant now = now();
      Webhook before = get(portal, id);
      Webhook rotated = before.rotateSecret(SigningSecret.generate(random, now), now, secretGrace);
      repository.save(rotated);
      events.updated(before, rotated);
      return rotated;
    });
  }

  /** A random positive 63-bit number in decimal, like the numeric ids of the Zoho APIs. */
  private String newId() {
    while (true) {
      long n = random.nextLong() & Long.MAX_VALUE;
      String id = Long.toString(n);
      if (n != 0 && repository.find(id).isEmpty()) {
        return id;
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private <T> T locked(String id, Supplier<T> action) {
    ReentrantLock lock = locks[Math.floorMod(id.hashCode(), locks.length)];
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
