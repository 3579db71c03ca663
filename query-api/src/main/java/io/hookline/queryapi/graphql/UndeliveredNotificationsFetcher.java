package io.hookline.queryapi.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.hookline.queryapi.auth.http.HttpCurrentCaller;
import io.hookline.queryapi.auth.http.TokenPortals;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.graphql.UndeliveredNotificationsQuery.Position;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * {@code Query.undeliveredNotifications}: reads and checks the arguments (every refusal names the
 * argument), settles the portal from the token, and runs the query on the blocking executor (the
 * view may answer from another instance), never on the event loop. Only translates: the listing is
 * {@link UndeliveredNotifications}'.
 *
 * <p>The portal: the {@code portal} argument when given, which the token must grant; otherwise the
 * token's only portal. A token for several portals must name one.
 */
@Singleton
class UndeliveredNotificationsFetcher implements DataFetcher<CompletableFuture<UndeliveredNotificationsFetcher.Response>> {

  static final int MAX_LIMIT = 10;
  private static final Set<String> SECRET_CODES = Set.of("SECRET_EXPIRED", "SECRET_INVALID");
  /** The key of the caller's {@link Authentication} in the GraphQL context. */
  static final String AUTHENTICATION = "hookline.authentication";

  private final UndeliveredNotifications notifications;
  private final NotificationCursors cursors;
  private final ExecutorService blocking;

  UndeliveredNotificationsFetcher(UndeliveredNotifications notifications, NotificationCursors cursors,
      @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.notifications = notifications;
    this.cursors = cursors;
    this.blocking = blocking;
  }

  record Response(int totalCount, String cursor, List<Element> elements) {}

  record Element(Notification notification, NotificationError error) {}

  record Notification(String eventType, Instant creationDateTime, String notificationId, String payload,
      String webhookId) {}

  record NotificationError(String code, String message, String reason) {}

  @Override
  public CompletableFuture<Response> get(DataFetchingEnvironment env) {
    String portal = portal(env.getGraphQlContext().get(AUTHENTICATION), env.getArgument("portal"));
    Integer limitArgument = env.getArgument("limit");
    int limit = limitArgument == null ? MAX_LIMIT : limitArgument;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidFieldException("limit",
          "Argument 'limit' must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    Map<String, Object> filters = env.getArgument("filters");
    String eventType = (String) filters.get("eventType");
    if (eventType != null && eventType.isBlank()) {
      throw new InvalidFieldException("filters.eventType",
          "Argument 'filters.eventType' must not be empty; leave it out to match every event type");
    }
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    boolean exclusive = false;
    @SuppressWarnings("unchecked")
    Map<String, Object> range = (Map<String, Object>) filters.get("creationDateTime");
    if (range != null) {
      Instant fromTime = (Instant) range.get("from");
      Instant toTime = (Instant) range.get("to");
      if (fromTime.isAfter(toTime)) {
        throw new InvalidFieldException("filters.creationDateTime", "Argument 'filters.creationDateTime' has 'from' ("
            + fromTime + ") after 'to' (" + toTime + ")");
      }
      from = fromTime.toEpochMilli();
      to = toTime.toEpochMilli();
      exclusive = "EXCLUSIVE".equals(range.get("operator"));
    }
    String queryKey = String.join("\n", portal, String.valueOf(eventType), Long.toString(from), Long.toString(to),
        Boolean.toString(exclusive));
    String cursor = env.getArgument("cursor");
    Optional<Position> after = cursor == null || cursor.isEmpty()
        ? Optional.empty()
        : Optional.of(cursors.decode(cursor, queryKey));
    UndeliveredNotificationsQuery query = new UndeliveredNotificationsQuery(portal, eventType, Math.max(0, from), to,
        exclusive, limit, after);
    // The view may forward to the instance owning a webhook's partition, on behalf of this request:
    // name the chosen portal on it and carry the request context onto the blocking thread.
    ServerRequestContext.currentRequest().ifPresent(r -> r.setAttribute(HttpCurrentCaller.PORTAL_ATTRIBUTE, portal));
    Supplier<Response> answer = () -> answer(notifications.find(query), queryKey);
    return CompletableFuture.supplyAsync(PropagatedContext.wrapCurrent(answer), blocking);
  }

  private Response answer(UndeliveredNotifications.Page page, String queryKey) {
    List<Element> elements = page.elements().stream().map(UndeliveredNotificationsFetcher::element).toList();
    String next = page.more()
        ? cursors.encode(UndeliveredNotifications.position(page.elements().get(page.elements().size() - 1)), queryKey)
        : null;
    return new Response(page.totalCount(), next, elements);
  }

  private static Element element(FailedExecution f) {
    Notification notification = new Notification(f.event().name(), Instant.ofEpochMilli(f.creationTime()),
        f.executionId(), f.event().payload(), f.webhookId());
    return new Element(notification, error(f));
  }

  /**
   * The reference's error codes: {@code SECRET_EXPIRED} when nothing was sent because the webhook's
   * own secret could not sign (Hookline's {@code SECRET_EXPIRED}, {@code SECRET_INVALID}: the owner
   * must rotate it), {@code DELIVERY_ERROR} for every other failure; {@code reason} keeps
   * Hookline's code.
   */
  static NotificationError error(FailedExecution f) {
    String reason = f.errorCode();
    String code = SECRET_CODES.contains(reason) ? "SECRET_EXPIRED" : "DELIVERY_ERROR";
    String message = f.errorMessage() != null ? f.errorMessage()
        : f.lastHttpStatus() != null ? "HTTP " + f.lastHttpStatus()
        : "The notification could not be delivered";
    return new NotificationError(code, message, reason);
  }

  private static String portal(Authentication authentication, String requested) {
    Set<String> granted = authentication == null ? Set.of() : TokenPortals.of(authentication);
    if (requested != null) {
      if (!granted.contains(requested)) {
        throw new AccessRefusedException("portal", "Argument 'portal': the token may not read portal '" + requested
            + "'");
      }
      return requested;
    }
    if (granted.size() == 1) {
      return granted.iterator().next();
    }
    if (granted.isEmpty()) {
      throw new AccessRefusedException("portal", "The token names no portal (its 'portal' claim is missing)");
    }
    throw new InvalidFieldException("portal", "Argument 'portal' is required: the token grants several portals "
        + granted);
  }
}
