package io.hookline.dispatcher.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an endpoint is disabled, as the Standard Webhooks spec and its peers (Svix) expect: at once
 * when it answers {@code 410 Gone}, and when every delivery to it has failed for {@code
 * disableAfter} (0: never) since the last one that was delivered.
 *
 * <p>The failure streak of each webhook (the time of its first failed delivery since the last
 * delivered one) is kept in memory, at most {@code maxTracked} webhooks; past that an arbitrary
 * streak is forgotten, which can only delay a disable. A streak that has lasted {@link
 * #checkpointAfter()} is to be stored on the webhook record ({@link RecordFailingSince}), once; a
 * stored streak is read back from the webhook ({@link Webhook#failingSince()}), so the clock
 * survives a restart, a rebalance and being forgotten, losing at most the checkpoint interval. A
 * delivery ends the streak, and clears a stored one ({@link ClearFailingSince}). Re-enabling the
 * webhook or changing its URL starts afresh ({@link #webhookChanged}).
 *
 * <p>Thread-safe; a delivered attempt of a webhook with no streak costs one map lookup.
 */
public final class EndpointLifecycle {

  /** What follows from an attempt for its webhook. */
  public sealed interface Step {}

  /** Nothing to do. */
  public record Keep() implements Step {}

  /** Disable the webhook; {@code httpStatus} and {@code failingSince} as far as they apply. */
  public record Disable(String reason, Integer httpStatus, Long failingSince) implements Step {}

  /** Store the streak's start on the webhook record. */
  public record RecordFailingSince(long since) implements Step {}

  /** Remove the stored streak from the webhook record: it ended. */
  public record ClearFailingSince() implements Step {}

  private static final Keep KEEP = new Keep();
  private static final Duration MAX_CHECKPOINT = Duration.ofHours(1);

  /** A failure streak: its start, and whether it was handed out to be stored. */
  private static final class Streak {
    final long since;
    volatile boolean recorded;

    Streak(long since) {
      this.since = since;
    }
  }

  private final Duration disableAfter;
  private final long checkpointAfterMillis;
  private final int maxTracked;
  private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

  /**
   * @param disableAfter how long every delivery must have failed before the webhook is disabled;
   *     zero: never (a 410 still disables)
   * @param maxTracked failure streaks kept in memory at most
   */
  public EndpointLifecycle(Duration disableAfter, int maxTracked) {
    Objects.requireNonNull(disableAfter, "disableAfter");
    if (disableAfter.isNegative()) {
      throw new IllegalArgumentException("disable-after must not be negative, was " + disableAfter);
    }
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be >= 1, was " + maxTracked);
    }
    this.disableAfter = disableAfter;
    Duration tenth = disableAfter.dividedBy(10);
    this.checkpointAfterMillis = Math.max(1, (tenth.compareTo(MAX_CHECKPOINT) < 0 ? tenth : MAX_CHECKPOINT).toMillis());
    this.maxTracked = maxTracked;
  }

  /** How long a streak lasts before it is stored on the webhook record: a tenth of disable-after, at most an hour. */
  public Duration checkpointAfter() {
    return Duration.ofMillis(checkpointAfterMillis);
  }

  /** What follows from an attempt of {@code webhook} that came to {@code outcome} at {@code now}. */
  public Step afterAttempt(Webhook webhook, DeliveryOutcome outcome, long now) {
    String id = webhook.id();
    if (!(outcome instanceof DeliveryOutcome.Failed failed)) {
      if (!streaks.isEmpty()) {
        streaks.remove(id);
      }
      return webhook.failingSince() == null ? KEEP : new ClearFailingSince();
    }
    if (failed.gone()) {
      streaks.remove(id);
      return new Disable("the endpoint answered 410 Gone", 410, null);
    }
    if (disableAfter.isZero()) {
      return KEEP;
    }
    Streak streak = streaks.get(id);
    if (streak == null) {
      if (streaks.size() >= maxTracked) {
        forgetOne();
      }
      long start = webhook.failingSince() == null ? now : Math.min(now, webhook.failingSince());
      streak = streaks.computeIfAbsent(id, k -> new Streak(start));
    }
    long since = webhook.failingSince() == null ? streak.since : Math.min(streak.since, webhook.failingSince());
    if (now - since >= disableAfter.toMillis()) {
      streaks.remove(id);
      return new Disable("every delivery failed since " + Instant.ofEpochMilli(since) + ", for longer than "
          + disableAfter, failed.httpStatus(), since);
    }
    if (webhook.failingSince() == null && !streak.recorded && now - since >= checkpointAfterMillis) {
      streak.recorded = true;
      return new RecordFailingSince(since);
    }
    return KEEP;
  }

  /**
   * The stored webhook changed from {@code before} to {@code now} (null: absent). Deleting it,
   * enabling it again or pointing it at another URL starts its clock afresh.
   */
  public void webhookChanged(Webhook before, Webhook now) {
    if (before == null) {
      return;
    }
    boolean fresh = now == null
        || (!before.enabled() && now.enabled())
        || !before.url().equals(now.url())
        || (before.failingSince() != null && now.failingSince() == null);
    if (fresh) {
      streaks.remove(before.id());
    }
  }

  /** The start of the webhook's failure streak in memory, if it has one. */
  public Long failingSince(String webhookId) {
    Streak s = streaks.get(webhookId);
    return s == null ? null : s.since;
  }

  /** Streaks kept in memory. */
  public int tracked() {
    return streaks.size();
  }

  private void forgetOne() {
    Iterator<String> it = streaks.keySet().iterator();
    if (it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
