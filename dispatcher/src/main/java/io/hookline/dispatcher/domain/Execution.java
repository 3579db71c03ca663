package io.hookline.dispatcher.domain;

/**
 * One attempt-to-be of one execution (an event for one webhook).
 *
 * @param attempt the number of this attempt, 1 for the first
 * @param firstAttemptAt epoch ms of the first attempt, null when this is the first
 * @param previous what the previous attempt came to, null when this is the first
 * @param orderedOffset for an execution of an ordered webhook, the position of its record in the
 *     webhook's ordered log, which every retry and parked record of it carries; null when unordered
 */
public record Execution(
    String id, String webhookId, Event event, int attempt, Trigger trigger, Long firstAttemptAt,
    PreviousAttempt previous, Long orderedOffset) {

  /** An execution of an unordered webhook. */
  public Execution(String id, String webhookId, Event event, int attempt, Trigger trigger, Long firstAttemptAt,
      PreviousAttempt previous) {
    this(id, webhookId, event, attempt, trigger, firstAttemptAt, previous, null);
  }

  /** This execution, read at {@code offset} of its webhook's ordered log. */
  public Execution ordered(long offset) {
    return new Execution(id, webhookId, event, attempt, trigger, firstAttemptAt, previous, offset);
  }

  /**
   * What the attempts so far came to, as a retry request carries it. A first attempt that was
   * parked has had no attempt yet: its times are when it was parked.
   */
  public record PreviousAttempt(
      long firstAttemptAt, long lastAttemptAt, Integer lastHttpStatus, String lastErrorCode, String lastErrorMessage) {}

  /** The first attempt of {@code event} for {@code webhookId}. */
  public static Execution first(Event event, String webhookId) {
    return new Execution(ExecutionId.of(event.id(), webhookId), webhookId, event, 1, Trigger.INITIAL, null, null);
  }

  /**
   * The attempt a retry request asks for, with the execution's own id. A request for attempt 1 (a
   * first attempt that was parked) has had no attempt yet, so its first attempt is this one.
   */
  public static Execution requested(
      String id, String webhookId, Event event, int attempt, Trigger trigger, PreviousAttempt previous) {
    Long firstAttemptAt = attempt > 1 ? previous.firstAttemptAt() : null;
    return new Execution(id, webhookId, event, attempt, trigger, firstAttemptAt, previous);
  }
}
