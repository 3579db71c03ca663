package io.hookline.queryapi.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription of one portal: the URL that receives the portal's events of the listed types, and
 * the secrets that sign those requests. Immutable; every change returns a new value with a new
 * modification time, so a webhook read from the store is never changed behind the reader's back.
 *
 * @param secrets newest first; the first one without an expiry is the current secret, older ones
 *     keep signing until they expire (see {@link #rotateSecret})
 */
public record Webhook(
    String id,
    String portal,
    String url,
    List<String> events,
    boolean enabled,
    List<SigningSecret> secrets,
    Instant createdAt,
    Instant modifiedAt) {

  public Webhook {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(modifiedAt, "modifiedAt");
    events = List.copyOf(events);
    secrets = List.copyOf(secrets);
  }

  /** A new webhook whose only secret is {@code secret}. */
  public static Webhook create(
      String id, String portal, String url, List<String> events, boolean enabled, SigningSecret secret, Instant now) {
    return new Webhook(id, portal, url, events, enabled, List.of(secret), now, now);
  }

  public boolean belongsTo(String portal) {
    return this.portal.equals(portal);
  }

  /** The secret that signs from now on, if the webhook has one. */
  public Optional<SigningSecret> currentSecret() {
    return secrets.stream().filter(SigningSecret::isCurrent).findFirst();
  }

  /** This webhook with the given changes applied; unchanged fields keep their values. */
  public Webhook update(WebhookChanges changes, Instant now) {
    return new Webhook(
        id,
        portal,
        changes.url().orElse(url),
        changes.events().orElse(events),
        changes.enabled().orElse(enabled),
        secrets,
        createdAt,
        now);
  }

  /**
   * Makes {@code fresh} the current secret. The secret that was current keeps signing alongside it
   * until {@code now + grace}, so receivers can switch over without rejecting requests; secrets
   * whose grace period is already over are dropped.
   */
  public Webhook rotateSecret(SigningSecret fresh, Instant now, Duration grace) {
    if (!fresh.isCurrent()) {
      throw new IllegalArgumentException("a new secret must not expire");
    }
    List<SigningSecret> next = new ArrayList<>();
    next.add(fresh);
    for (SigningSecret s : secrets) {
      if (s.isCurrent()) {
        next.add(s.expiringAt(now.plus(grace)));
      } else if (s.expiresAt().isAfter(now)) {
        next.add(s);
      }
    }
    return new Webhook(id, portal, url, events, enabled, next, createdAt, now);
  }
}
