package io.hookline.dispatcher.domain;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Decides whether a failed attempt means the receiver asks us to slow down, and until when its
 * webhook is paused. A throttled attempt is not a failure of the execution: it does not use up a
 * retry, and the execution (with the webhook's other executions) waits out the pause.
 *
 * <ul>
 *   <li>{@code 429 Too Many Requests}: always throttled; until the time its {@code Retry-After}
 *       asks, or for {@link #DEFAULT_PAUSE} when it has none or one that is not understood.
 *   <li>{@code 503}, {@code 502}, {@code 504} with a {@code Retry-After}: throttled in the same way
 *       (a header that is not understood gives the default pause).
 *   <li>{@code 503}, {@code 502}, {@code 504} without one: an ordinary failure (retried per the
 *       schedule, counted by the circuit breaker): a gateway or a server that says nothing about
 *       when to come back is more often down than busy.
 * </ul>
 *
 * <p>Every pause lasts at least {@link #MIN_PAUSE} ({@code Retry-After: 0} or a date in the past
 * would otherwise send the same request again at once, for ever) and at most {@code maxPause}.
 */
public final class Throttling {

  /** The pause when a 429 gives no usable Retry-After (as long as Svix waits after a 429). */
  public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(60);
  /** The shortest pause, whatever the receiver asks. */
  public static final Duration MIN_PAUSE = Duration.ofSeconds(1);

  /** The longest pause honoured by default (HOOKLINE_MAX_RETRY_AFTER). */
  public static final Duration DEFAULT_MAX_PAUSE = Duration.ofHours(1);

  private final long maxPauseMillis;

  /** {@code maxPause}: the longest pause honoured (HOOKLINE_MAX_RETRY_AFTER); at least {@link #MIN_PAUSE}. */
  public Throttling(Duration maxPause) {
    if (maxPause == null || maxPause.compareTo(MIN_PAUSE) < 0) {
      throw new IllegalArgumentException("max-retry-after must be at least " + MIN_PAUSE.toSeconds() + "s, was " + maxPause);
    }
    this.maxPauseMillis = maxPause.toMillis();
  }

  /** Until when (epoch ms) the webhook is paused after {@code outcome} at {@code nowMillis}; empty when it is not throttled. */
  public OptionalLong pauseUntil(DeliveryOutcome outcome, long nowMillis) {
    if (!(outcome instanceof DeliveryOutcome.Failed failed) || failed.httpStatus() == null) {
      return OptionalLong.empty();
    }
    int status = failed.httpStatus();
    boolean asksToWait = status == 429
        || ((status == 502 || status == 503 || status == 504) && failed.retryAfter() != null);
    if (!asksToWait) {
      return OptionalLong.empty();
    }
    OptionalLong asked = RetryAfter.until(failed.retryAfter(), nowMillis);
    long pause = asked.isPresent() ? asked.getAsLong() - nowMillis : DEFAULT_PAUSE.toMillis();
    return OptionalLong.of(nowMillis + Math.min(maxPauseMillis, Math.max(MIN_PAUSE.toMillis(), pause)));
  }
}
