package io.hookline.queryapi.graphql;

import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.graphql.UndeliveredNotificationsQuery.Position;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.Webhook;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The undelivered notifications of one portal: the failed executions of every webhook of the portal
 * (as {@link WebhookService} lists them; a deleted webhook's failures are no longer listed), merged
 * into one listing ordered newest creation first, filtered by event and creation time, with the
 * total count and keyset pages.
 *
 * <p>A notification's creation time is its event's {@code event_time} (the first execution time
 * when the event has none). The view is ordered by last execution time, which is never before the
 * creation time, so reading each webhook's failures last executed at or after {@code from} sees
 * every match; the rest of the filter is applied while reading. Every query reads all matches once
 * (the total needs them), keeping only the best {@code limit + 1} in memory.
 *
 * <p>Reads go through {@link FailedExecutionsView#page} only, so whatever routes a webhook's pages
 * to the instance that owns them serves this too. Within one webhook the pages are walked by
 * position (last execution time and the ids already seen at that time), not by page number, so the
 * walk is linear in the number of failures.
 */
@Singleton
public class UndeliveredNotifications {

  /** Failures asked of the view at a time while walking one webhook's failures. */
  static final int SCAN_PAGE = 500;

  private final WebhookService webhooks;
  private final FailedExecutionsView failures;

  public UndeliveredNotifications(WebhookService webhooks, FailedExecutionsView failures) {
    this.webhooks = webhooks;
    this.failures = failures;
  }

  /** One page of the listing, the number of all matches, and whether more come after the page. */
  public record Page(int totalCount, List<FailedExecution> elements, boolean more) {}

  public Page find(UndeliveredNotificationsQuery query) {
    Comparator<FailedExecution> order = Comparator.comparing(UndeliveredNotifications::position, Position.ORDER);
    // The limit + 1 first matches after the cursor; the queue's head is the last of them.
    PriorityQueue<FailedExecution> best = new PriorityQueue<>(query.limit() + 1, order.reversed());
    int total = 0;
    Set<String> events = query.eventType() == null ? Set.of() : Set.of(query.eventType());
    for (Webhook webhook : webhooks.list(query.portal())) {
      for (FailedExecution f : allOf(failures, webhook.id(), query.from(), events)) {
        if (!query.createdInRange(f.creationTime())) {
          continue;
        }
        total++;
        if (query.after().isPresent() && Position.ORDER.compare(position(f), query.after().get()) <= 0) {
          continue;
        }
        best.add(f);
        if (best.size() > query.limit() + 1) {
          best.poll();
        }
      }
    }
    List<FailedExecution> page = new ArrayList<>(best);
    page.sort(order);
    boolean more = page.size() > query.limit();
    return new Page(total, more ? page.subList(0, query.limit()) : page, more);
  }

  /** The place of {@code f} in the listing. */
  public static Position position(FailedExecution f) {
    return new Position(f.creationTime(), f.webhookId(), f.executionId());
  }

  /**
   * Every failure of the webhook last executed at or after {@code from}, newest first. Each page
   * after the first starts at the last execution time the previous one ended on, skipping the ids
   * already read at that time; only when a whole page shares one time does it move on by number.
   */
  static List<FailedExecution> allOf(FailedExecutionsView failures, String webhookId, long from, Set<String> events) {
    List<FailedExecution> all = new ArrayList<>();
    long upper = Long.MAX_VALUE;
    int pageno = 1;
    Set<String> seenAtUpper = new HashSet<>();
    while (true) {
      List<FailedExecution> page = failures.page(new FailedExecutionQuery(webhookId, from, upper, events, SCAN_PAGE,
          pageno)).items();
      for (FailedExecution f : page) {
        if (f.lastExecutionTime() != upper || !seenAtUpper.contains(f.executionId())) {
          all.add(f);
        }
      }
      if (page.size() < SCAN_PAGE) {
        return all;
      }
      long last = page.get(page.size() - 1).lastExecutionTime();
      if (last == upper) {
        pageno++;
      } else {
        upper = last;
        pageno = 1;
        seenAtUpper.clear();
      }
      for (FailedExecution f : page) {
        if (f.lastExecutionTime() == upper) {
          seenAtUpper.add(f.executionId());
        }
      }
    }
  }
}
