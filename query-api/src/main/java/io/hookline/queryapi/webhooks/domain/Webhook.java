package io.hookline.queryapi.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription of one portal: the URL that receives the portal's events of the listed types, and
 * the secrets that sign those requests. Immutable; every change returns a new value with a new
 * modification time, so a webhook read from the store is never changed behind the reader's back.
 *
 * @param secrets newest first; the first one without an expiry is the current secret, older ones
 *     keep signing until they expire (see {@link #rotateSecret})
 * @param disabledReason why Hookline disabled the webhook (410 Gone, failing for too long); null
 *     when enabled or disabled by a person
 * @param failingSince when the dispatcher saw its first failed delivery since the last delivered
 *     one (it keeps this to disable endpoints that fail for too long); null when not failing
 * @param revision how many times the webhook was written: 1 when created, one more with every
 *     change (0 for webhooks stored before revisions existed); the API's ETag
 * @param rateLimit at most this many deliveries per second (positive); null: unlimited
 * @param headers custom headers sent with every request to it, in the order given; empty for none
 * @param ordering how its executions are ordered; {@link Ordering#NONE} when not given
 */
public record Webhook(
    String id,
    String portal,
    String url,
    List<String> events,
    boolean enabled,
    List<SigningSecret> secrets,
    Instant createdAt,
    Instant modifiedAt,
    String disabledReason,
    Instant failingSince,
    long revision,
    Integer rateLimit,
    Map<String, String> headers,
    Ordering ordering) {

  public Webhook {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(modifiedAt, "modifiedAt");
    events = List.copyOf(events);
    secrets = List.copyOf(secrets);
    headers = orderedCopy(headers == null ? Map.of() : headers);
    ordering = ordering == null ? Ordering.NONE : ordering;
  }

  /** An unordered webhook. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Instant createdAt, Instant modifiedAt, String disabledReason, Instant failingSince,
      long revision, Integer rateLimit, Map<String, String> headers) {
    this(id, portal, url, events, enabled, secrets, createdAt, modifiedAt, disabledReason, failingSince, revision,
        rateLimit, headers, Ordering.NONE);
  }


  /** An unmodifiable copy that keeps the order of {@code headers}. */
  static Map<String, String> orderedCopy(Map<String, String> headers) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** An unlimited webhook without custom headers. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Instant createdAt, Instant modifiedAt, String disabledReason, Instant failingSince,
      long revision) {
    this(id, portal, url, events, enabled, secrets, createdAt, modifiedAt, disabledReason, failingSince, revision, null,
        Map.of());
  }

  /** A webhook of revision 0 (stored before revisions existed). */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Instant createdAt, Instant modifiedAt, String disabledReason, Instant failingSince) {
    this(id, portal, url, events, enabled, secrets, createdAt, modifiedAt, disabledReason, failingSince, 0);
  }

  /** A webhook that was not disabled by Hookline and is not known to be failing. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Instant createdAt, Instant modifiedAt) {
    this(id, portal, url, events, enabled, secrets, createdAt, modifiedAt, null, null);
  }

  /** A new webhook whose only secret is {@code secret}: revision 1. */
  public static Webhook create(
      String id, String portal, String url, List<String> events, boolean enabled, SigningSecret secret, Instant now) {
    return new Webhook(id, portal, url, events, enabled, List.of(secret), now, now, null, null, 1);
  }

  /** A new webhook limited to {@code rateLimit} deliveries per second (null: unlimited): revision 1. */
  public static Webhook create(String id, String portal, String url, List<String> events, boolean enabled,
      SigningSecret secret, Integer rateLimit, Instant now) {
    return new Webhook(id, portal, url, events, enabled, List.of(secret), now, now, null, null, 1, rateLimit, Map.of());
  }

  /** This webhook with {@code headers} as its custom headers (same revision: for a webhook being created). */
  public Webhook withHeaders(Map<String, String> headers) {
    return new Webhook(id, portal, url, events, enabled, secrets, createdAt, modifiedAt, disabledReason, failingSince,
        revision, rateLimit, headers, ordering);
  }

  /** This webhook with {@code ordering} (same revision: for a webhook being created). */
  public Webhook withOrdering(Ordering ordering) {
    return new Webhook(id, portal, url, events, enabled, secrets, createdAt, modifiedAt, disabledReason, failingSince,
        revision, rateLimit, headers, ordering);
  }

  public boolean belongsTo(String portal) {
    return this.portal.equals(portal);
  }

  /** The secret that signs from now on, if the webhook has one. */
  public Optional<SigningSecret> currentSecret() {
    return secrets.stream().filter(SigningSecret::isCurrent).findFirst();
  }

  /**
   * This webhook with the given changes applied, one revision later; unchanged fields keep their values. Enabling it
   * clears why it was disabled, and enabling it again or giving it a new URL starts its failure
   * clock afresh.
   */
  public Webhook update(WebhookChanges changes, Instant now) {
    boolean nowEnabled = changes.enabled().orElse(enabled);
    String nextUrl = changes.url().orElse(url);
    boolean fresh = !nowEnabled || (!enabled && nowEnabled) || !nextUrl.equals(url);
    return new Webhook(
        id,
        portal,
        nextUrl,
        changes.events().orElse(events),
        nowEnabled,
        secrets,
        createdAt,
        now,
        nowEnabled ? null : disabledReason,
        fresh ? null : failingSince,
        revision + 1,
        changes.rateLimit().isPresent() ? changes.rateLimit().get().perSecond() : rateLimit,
        changes.headers().orElse(headers),
        changes.ordering().orElse(ordering));
  }

  /** What {@link #update} changed, in words ({@code "url, enabled"}); empty when nothing did. */
  public String changesSince(Webhook before) {
    List<String> changed = new ArrayList<>();
    if (!url.equals(before.url)) {
      changed.add("url");
    }
    if (!events.equals(before.events)) {
      changed.add("events");
    }
    if (enabled != before.enabled) {
      changed.add("enabled");
    }
    if (!secrets.equals(before.secrets)) {
      changed.add("secret");
    }
    if (!Objects.equals(rateLimit, before.rateLimit)) {
      changed.add("rate_limit");
    }
    if (!headers.equals(before.headers)) {
      changed.add("headers");
    }
    if (ordering != before.ordering) {
      changed.add("ordering");
    }
    return String.join(", ", changed);
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
    return new Webhook(id, portal, url, events, enabled, next, createdAt, now, disabledReason, failingSince,
        revision + 1, rateLimit, headers, ordering);
  }
}
