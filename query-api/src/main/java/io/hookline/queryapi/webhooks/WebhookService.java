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
import java.util.Optional;

/**
 * The webhook use cases of one portal: create, read, change, delete and rotate the signing secret.
 * Validates input with {@link WebhookRules}, generates ids and secrets, and writes through the
 * {@link WebhookRepository}, so every answer reflects the write it follows.
 *
 * <p>Every change is told to {@link WebhookEvents} once it is stored (webhook.created, .updated,
 * .deleted operational events).
 *
 * <p>A webhook of another portal is treated exactly like an unknown id, so ids of other portals
 * cannot be probed. Every change is decided by the repository on the webhook's latest version,
 * serialised with every other change of it in every instance, so a concurrent update, rotation or
 * deletion never loses another's change; a change with an {@link IfMatch} is refused with
 * {@link RevisionMismatchException} unless that latest version is the expected revision.
 */
public class WebhookService {

  private final WebhookRepository repository;
  private final WebhookEvents events;
  private final Clock clock;
  private final Duration secretGrace;
  private final SecureRandom random = new SecureRandom();

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
  }

  /** A stored change: the version it replaced and the new one (null when deleted). */
  private record Changed(Webhook before, Webhook after) {}

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
    Webhook webhook = Webhook.create(id, portal, url, events, request.enabled().orElse(true), secret,
        WebhookRules.rateLimit(request.rateLimit()), now).withHeaders(WebhookRules.headers(request.headers()))
        .withOrdering(request.ordering());
    repository.change(id, current -> {
      if (current.isPresent()) {
        throw new IllegalStateException("Webhook id " + id + " was taken meanwhile");
      }
      return WebhookChange.Outcome.store(webhook, webhook);
    });
    this.events.created(webhook);
    return webhook;
  }

  public List<Webhook> list(String portal) {
    return repository.findByPortal(portal);
  }

  public Webhook get(String portal, String id) {
    return found(portal, id, repository.find(id));
  }

  public Webhook update(String portal, String id, WebhookChanges changes) {
    return update(portal, id, changes, IfMatch.none());
  }

  /** Applies {@code changes} to the latest version, if its revision is one {@code ifMatch} allows. */
  public Webhook update(String portal, String id, WebhookChanges changes, IfMatch ifMatch) {
    if (changes.isEmpty()) {
      throw new InvalidFieldException("body",
          "at least one of 'url', 'events', 'enabled', 'rate_limit', 'headers' or 'ordering' must be given");
    }
    changes.rateLimit().ifPresent(r -> WebhookRules.rateLimit(r.perSecond()));
    WebhookChanges valid = new WebhookChanges(
        changes.url().map(WebhookRules::url), changes.events().map(WebhookRules::events), changes.enabled(),
        changes.rateLimit(), changes.headers().map(WebhookRules::headers), changes.ordering());
    Changed changed = repository.change(id, current -> {
      Webhook before = matching(portal, id, current, ifMatch);
      Webhook updated = before.update(valid, now());
      return WebhookChange.Outcome.store(updated, new Changed(before, updated));
    });
    events.updated(changed.before(), changed.after());
    return changed.after();
  }

  public void delete(String portal, String id) {
    delete(portal, id, IfMatch.none());
  }

  public void delete(String portal, String id, IfMatch ifMatch) {
    Webhook deleted = repository.change(id, current ->
        WebhookChange.Outcome.delete(matching(portal, id, current, ifMatch)));
    events.deleted(deleted, now());
  }

  /** The secret currently signing the webhook's requests. */
  public SigningSecret secret(String portal, String id) {
    Webhook webhook = get(portal, id);
    return webhook.currentSecret()
        .orElseThrow(() -> new IllegalStateException("Webhook " + id + " has no current secret"));
  }

  public Webhook rotateSecret(String portal, String id) {
    return rotateSecret(portal, id, IfMatch.none());
  }

  /**
   * Replaces the current secret by a new random one; the previous one keeps signing for the
   * configured grace period. Returns the webhook with its new secrets.
   */
  public Webhook rotateSecret(String portal, String id, IfMatch ifMatch) {
    Changed changed = repository.change(id, current -> {
      Instant now = now();
      Webhook before = matching(portal, id, current, ifMatch);
      Webhook rotated = before.rotateSecret(SigningSecret.generate(random, now), now, secretGrace);
      return WebhookChange.Outcome.store(rotated, new Changed(before, rotated));
    });
    events.updated(changed.before(), changed.after());
    return changed.after();
  }

  private static Webhook found(String portal, String id, Optional<Webhook> stored) {
    return stored.filter(w -> w.belongsTo(portal)).orElseThrow(() -> new WebhookNotFoundException(portal, id));
  }

  private static Webhook matching(String portal, String id, Optional<Webhook> latest, IfMatch ifMatch) {
    Webhook webhook = found(portal, id, latest);
    if (!ifMatch.matches(webhook.revision())) {
      throw new RevisionMismatchException(id, webhook.revision());
    }
    return webhook;
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
}
