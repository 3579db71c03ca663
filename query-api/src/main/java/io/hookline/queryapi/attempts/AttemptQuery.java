package io.hookline.queryapi.attempts;

import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.WebhookPageQuery;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One page of a webhook's attempt log: the attempts created in {@code [fromTime, toTime]} (epoch ms,
 * inclusive) whose status is in {@code statuses} and whose event is in {@code events} (an empty set
 * lets every value through), of execution {@code executionId} only unless it is null, newest first
 * unless {@code oldestFirst}, {@code limit} per page, starting at {@code start}.
 */
public record AttemptQuery(String webhookId, long fromTime, long toTime, Set<AttemptStatus> statuses,
    Set<String> events, boolean oldestFirst, int limit, PageStart start, String executionId)
    implements WebhookPageQuery {

  /** The query of every execution's attempts. */
  public AttemptQuery(String webhookId, long fromTime, long toTime, Set<AttemptStatus> statuses, Set<String> events,
      boolean oldestFirst, int limit, PageStart start) {
    this(webhookId, fromTime, toTime, statuses, events, oldestFirst, limit, start, null);
  }

  public AttemptQuery {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(start, "start");
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    events = Set.copyOf(events);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
  }

  /** Whether {@code attempt} passes the status and event filters (the time range is the caller's). */
  public boolean matches(Attempt attempt) {
    return matches(attempt.status(), attempt.event(), attempt.executionId());
  }

  /** Whether an attempt with {@code status} of event {@code event} and execution {@code execution} passes the filters. */
  public boolean matches(AttemptStatus status, String event, String execution) {
    return (statuses.isEmpty() || statuses.contains(status)) && (events.isEmpty() || events.contains(event))
        && (executionId == null || executionId.equals(execution));
  }

  /** What a cursor of this list is bound to: webhook, time range, filters and order (see {@link PageCursors}). */
  public static String binding(String webhookId, long fromTime, long toTime, Set<AttemptStatus> statuses,
      Set<String> events, boolean oldestFirst) {
    return "attempts\n" + webhookId + "\n" + fromTime + "\n" + toTime + "\n"
        + statuses.stream().map(Enum::name).sorted().collect(Collectors.joining(",")) + "\n"
        + String.join(",", new TreeSet<>(events)) + "\n" + (oldestFirst ? "created_at" : "-created_at");
  }

  public String binding() {
    String binding = binding(webhookId, fromTime, toTime, statuses, events, oldestFirst);
    return executionId == null ? binding : binding + "\nexecution " + executionId;
  }
}
