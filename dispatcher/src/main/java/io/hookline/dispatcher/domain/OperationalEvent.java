package io.hookline.dispatcher.domain;

import io.hookline.schemas.OperationalEventType;
import java.util.Objects;

/**
 * Something the operators of Hookline want to know about one webhook, as the dispatcher raises it:
 * its endpoint started failing or recovered (its circuit breaker opened or closed), it was
 * disabled, or one of its executions was exhausted. Fields that do not apply to the type are null.
 * The id is derived from what caused the event ({@link OperationalEventType#eventId}), so writing
 * the same cause again gives the same id.
 */
public record OperationalEvent(
    String id,
    OperationalEventType type,
    String webhookId,
    String portal,
    String url,
    long occurredAt,
    String reason,
    String failedExecutionId,
    Integer httpStatus,
    String errorCode,
    Integer consecutiveFailures,
    Long failingSince,
    Integer numberOfRetries,
    Boolean enabled) {

  public OperationalEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(url, "url");
  }

  /** The webhook's breaker opened after {@code consecutiveFailures} attempts that timed out or could not connect. */
  public static OperationalEvent failing(Webhook w, int consecutiveFailures, long now) {
    return new OperationalEvent(OperationalEventType.ENDPOINT_FAILING.eventId(w.id(), Long.toString(now)),
        OperationalEventType.ENDPOINT_FAILING, w.id(), w.portal(), w.url(), now,
        consecutiveFailures + " attempts in a row timed out or could not connect; circuit breaker open",
        null, null, null, consecutiveFailures, null, null, null);
  }

  /** The webhook's breaker closed: the endpoint answered a probe. */
  public static OperationalEvent recovered(Webhook w, long now) {
    return new OperationalEvent(OperationalEventType.ENDPOINT_RECOVERED.eventId(w.id(), Long.toString(now)),
        OperationalEventType.ENDPOINT_RECOVERED, w.id(), w.portal(), w.url(), now,
        "the endpoint answers again; circuit breaker closed", null, null, null, null, null, null, null);
  }

  /** Hookline disabled the webhook after the attempt {@code attempt} of execution {@code executionId}. */
  public static OperationalEvent disabled(Webhook w, EndpointLifecycle.Disable why, String executionId, int attempt,
      String errorCode, long now) {
    return new OperationalEvent(
        OperationalEventType.ENDPOINT_DISABLED.eventId(w.id(), executionId, Integer.toString(attempt)),
        OperationalEventType.ENDPOINT_DISABLED, w.id(), w.portal(), w.url(), now, why.reason(), executionId,
        why.httpStatus(), errorCode, null, why.failingSince(), null, false);
  }

  /** Execution {@code executionId} failed for good after {@code retries} retries, its last attempt being {@code attempt}. */
  public static OperationalEvent exhausted(Webhook w, String executionId, int attempt, int retries,
      DeliveryOutcome.Failed last, long now) {
    return new OperationalEvent(
        OperationalEventType.EXECUTION_EXHAUSTED.eventId(executionId, Integer.toString(attempt)),
        OperationalEventType.EXECUTION_EXHAUSTED, w.id(), w.portal(), w.url(), now, last.message(), executionId,
        last.httpStatus(), last.reason().name(), null, null, retries, null);
  }
}
