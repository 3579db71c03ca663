package io.hookline.queryapi.replay;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.replay.domain.Resend;
import io.hookline.queryapi.webhooks.WebhookService;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * "Retry now" and bulk replay of failed executions: each one is re-sent at once, as a manual
 * attempt of the same execution (same id, so the receiver sees the same {@code webhook-id}), through
 * the {@link RedeliveryQueue}. What the attempt comes to is the dispatcher's business: a delivered
 * execution leaves the failed view, a failed one comes back to it with one retry more.
 *
 * <p>Nothing is answered before every re-send is queued. A bulk replay re-sends at most
 * {@link #MAX_BATCH} executions per call, oldest first; when more match, it re-sends the newest ones
 * and names the {@code to_time} that selects exactly the rest, so repeated calls never send one
 * execution twice and never skip one (an execution that fails again gets a newer last execution time,
 * outside that range).
 *
 * <p>A re-sent execution stays in the failed view until its attempt ends, so calling again before
 * then re-sends it again; the receiver can drop the duplicate by its {@code webhook-id}.
 */
@Singleton
public class ExecutionRetryService {

  /** The most executions one bulk replay re-sends. */
  public static final int MAX_BATCH = 1000;

  private final WebhookService webhooks;
  private final FailedExecutionsView failures;
  private final RedeliveryQueue queue;
  private final Clock clock;

  public ExecutionRetryService(WebhookService webhooks, FailedExecutionsView failures, RedeliveryQueue queue,
      Clock clock) {
    this.webhooks = webhooks;
    this.failures = failures;
    this.queue = queue;
    this.clock = clock;
  }

  /** What a re-send queued: the executions, oldest first, and where the next batch ends when there is one. */
  public record Resent(List<Resend> requests, OptionalLong nextToTime) {}

  /** Re-sends failed execution {@code executionId} of the portal's webhook {@code webhookId}. */
  public Resend retry(String portal, String webhookId, String executionId) {
    webhooks.get(portal, webhookId);
    FailedExecution failed = failures.find(webhookId, executionId)
        .orElseThrow(() -> new ExecutionNotFoundException(webhookId, executionId));
    Resend request = Resend.of(failed, clock.millis());
    queue.queue(List.of(request));
    return request;
  }

  /**
   * Re-sends the failed executions of the portal's webhook that {@code filter} matches (its time
   * range and events; its paging is ignored), at most {@link #MAX_BATCH}.
   */
  public Resent retryMatching(String portal, FailedExecutionQuery filter) {
    webhooks.get(portal, filter.webhookId());
    List<FailedExecution> newestFirst = failures.page(new FailedExecutionQuery(filter.webhookId(), filter.fromTime(),
        filter.toTime(), filter.events(), MAX_BATCH + 1, 1)).items();
    OptionalLong nextToTime = OptionalLong.empty();
    List<FailedExecution> batch = newestFirst;
    if (newestFirst.size() > MAX_BATCH) {
      // Cut before the first time left out, so the rest is exactly "to_time = that time".
      long boundary = newestFirst.get(MAX_BATCH).lastExecutionTime();
      int end = MAX_BATCH;
      while (end > 0 && newestFirst.get(end - 1).lastExecutionTime() == boundary) {
        end--;
      }
      if (end == 0) {
        throw new InvalidFieldException("events", "more than " + MAX_BATCH + " failed executions were last executed at "
            + boundary + "; at most " + MAX_BATCH + " are re-sent at once; narrow 'events'");
      }
      batch = newestFirst.subList(0, end);
      nextToTime = OptionalLong.of(boundary);
    }
    long now = clock.millis();
    List<Resend> requests = new ArrayList<>(batch.size());
    for (int i = batch.size() - 1; i >= 0; i--) {
      requests.add(Resend.of(batch.get(i), now));
    }
    if (!requests.isEmpty()) {
      queue.queue(requests);
    }
    return new Resent(requests, nextToTime);
  }
}
