package io.hookline.dispatcher.domain;

/**
 * A webhook's rate limit: at most {@code perSecond} requests start within each second of the clock
 * (fixed one-second windows aligned to the epoch second, so a receiver on a synchronised clock
 * counting its requests per second never counts more). As with a token bucket holding one second of
 * tokens, a sliding second that spans two windows may see up to twice the limit. Not thread-safe: its
 * owner serialises calls.
 */
public final class RateLimiter {

  private final int perSecond;
  private long windowStart = Long.MIN_VALUE;
  private int started;

  public RateLimiter(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("a rate limit is at least 1 per second, was " + perSecond);
    }
    this.perSecond = perSecond;
  }

  public int perSecond() {
    return perSecond;
  }

  /**
   * Takes one start at {@code nowMillis} if the current second has one left: returns 0. Otherwise
   * takes nothing and returns the epoch ms at which the next second begins.
   */
  public long tryStart(long nowMillis) {
    long window = Math.floorDiv(nowMillis, 1000) * 1000;
    if (window != windowStart) {
      windowStart = window;
      started = 0;
    }
    if (started < perSecond) {
      started++;
      return 0;
    }
    return window + 1000;
  }

  /** Whether a start was taken in the second of {@code nowMillis} (forgetting the limiter then would allow more). */
  public boolean usedAt(long nowMillis) {
    return windowStart == Math.floorDiv(nowMillis, 1000) * 1000 && started > 0;
  }
}
