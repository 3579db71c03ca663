package io.hookline.queryapi.graphql;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code undeliveredNotifications} query asks of one portal: the failed executions of all
 * its webhooks whose event is {@code eventType} (any when null) and whose creation time (the event's
 * time) is in {@code [from, to]} ({@code (from, to)} when {@code exclusive}), ordered newest creation
 * first, {@code limit} of them after {@code after} (from the start when empty).
 */
public record UndeliveredNotificationsQuery(String portal, String eventType, long from, long to, boolean exclusive,
    int limit, Optional<Position> after) {

  public UndeliveredNotificationsQuery {
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
  }

  /** Whether a notification created at {@code creationTime} is inside the range. */
  public boolean createdInRange(long creationTime) {
    return exclusive ? creationTime > from && creationTime < to : creationTime >= from && creationTime <= to;
  }

  /**
   * Where a notification sits in the listing: newest creation time first, then by webhook id and
   * execution id, so that every notification has one fixed place. A position stays valid while
   * failures come and go, which is what makes a cursor built from it stable.
   */
  public record Position(long creationTime, String webhookId, String executionId) {

    /** The listing order: newest first, ties broken by webhook id, then execution id. */
    public static final Comparator<Position> ORDER = Comparator.comparingLong(Position::creationTime).reversed()
        .thenComparing(Position::webhookId)
        .thenComparing(Position::executionId);

    public Position {
      Objects.requireNonNull(webhookId, "webhookId");
      Objects.requireNonNull(executionId, "executionId");
    }
  }
}
