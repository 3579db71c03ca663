package io.hookline.dispatcher.domain;

/**
 * The circuit breaker of one webhook endpoint: after {@code failureThreshold} consecutive attempts
 * that show the endpoint in trouble ({@link #signalOf}) it opens, and for {@code openMillis}
 * nothing is sent to the endpoint. Then it is half-open: one probe is let through while everything
 * else waits; a probe that gets an answer closes it, a probe that fails opens it again.
 *
 * <p>Trouble is an attempt that timed out or could not connect: what makes an endpoint hold slots,
 * and the commit point, for long. Any answer, error statuses included, shows the endpoint alive; it
 * closes the breaker and clears the count, whichever state it is in. (Counting fast 5xx answers
 * would buy no isolation and would starve an endpoint that fails first attempts but takes retries:
 * its probes would always be first attempts.) Outcomes of
 * requests that were started before the breaker opened are otherwise ignored while it is open.
 * Times are epoch milliseconds passed in by the caller, so the state machine is plain and
 * testable. A threshold of 0 switches the breaker off: it never opens.
 *
 * <p>Not thread-safe: the delivery engine calls it under its lock.
 */
public final class CircuitBreaker {

  /** Where the breaker is. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  /** What an execution of this webhook may do now. */
  public enum Permit {
    /** Closed: send it. */
    CALL,
    /** Half-open and no probe out: send it as the probe. */
    PROBE,
    /** Half-open with a probe out: wait for the probe's answer. */
    WAIT,
    /** Open: do not send it. */
    REFUSE
  }

  /** What an attempt said about the endpoint's health. */
  public enum Signal {
    /** The endpoint answered, whatever the status. */
    HEALTHY,
    /** Timed out or unreachable. */
    TROUBLE,
    /** The endpoint was not called (secret problems, refused target): says nothing. */
    NONE
  }

  private final int failureThreshold;
  private final long openMillis;
  private int consecutiveFailures;
  private boolean opened;
  private long openUntil;
  private boolean probeOut;

  public CircuitBreaker(int failureThreshold, long openMillis) {
    if (failureThreshold < 0) {
      throw new IllegalArgumentException("failure threshold must be >= 0, was " + failureThreshold);
    }
    if (openMillis < 1) {
      throw new IllegalArgumentException("open duration must be positive, was " + openMillis + " ms");
    }
    this.failureThreshold = failureThreshold;
    this.openMillis = openMillis;
  }

  /** What {@code outcome} says about the endpoint. */
  public static Signal signalOf(DeliveryOutcome outcome) {
    if (!(outcome instanceof DeliveryOutcome.Failed f)) {
      return Signal.HEALTHY;
    }
    return switch (f.reason()) {
      case TIMEOUT, CONNECTION_ERROR -> Signal.TROUBLE;
      case HTTP_ERROR -> Signal.HEALTHY;
      default -> Signal.NONE;
    };
  }

  public State state(long now) {
    if (!opened) {
      return State.CLOSED;
    }
    return now < openUntil ? State.OPEN : State.HALF_OPEN;
  }

  /** What an execution may do now, without taking the probe. */
  public Permit peek(long now) {
    return switch (state(now)) {
      case CLOSED -> Permit.CALL;
      case OPEN -> Permit.REFUSE;
      case HALF_OPEN -> probeOut ? Permit.WAIT : Permit.PROBE;
    };
  }

  /** Like {@link #peek}, but a {@link Permit#PROBE} answer takes the probe: the next asks wait. */
  public Permit acquire(long now) {
    Permit p = peek(now);
    if (p == Permit.PROBE) {
      probeOut = true;
    }
    return p;
  }

  /**
   * Records what an attempt said.
   *
   * @param probe whether the attempt was sent as the probe ({@link #acquire} answered PROBE)
   * @return true if this opened the breaker
   */
  public boolean record(Signal signal, boolean probe, long now) {
    State before = state(now);
    if (probe) {
      probeOut = false;
    }
    switch (signal) {
      case HEALTHY -> {
        opened = false;
        consecutiveFailures = 0;
        return false;
      }
      case TROUBLE -> {
        if (before == State.CLOSED) {
          consecutiveFailures++;
          if (failureThreshold > 0 && consecutiveFailures >= failureThreshold) {
            open(now);
            return true;
          }
        } else if (before == State.HALF_OPEN && probe) {
          open(now);
          return true;
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private void open(long now) {
    opened = true;
    openUntil = now + openMillis;
    consecutiveFailures = 0;
  }

  /** Closed with no failure counted: the breaker holds nothing worth keeping. */
  public boolean pristine() {
    return !opened && consecutiveFailures == 0 && !probeOut;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }
}
