package io.hookline.queryapi.console;

import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rows of a portal's overview, failing webhooks first: most failed attempts over the range, then
 * the latest failure, then the order the portal created them in (so equal rows keep a stable place).
 */
public final class OverviewRows {

  /** One webhook and its totals over the overview's range. */
  public record Row(Webhook webhook, WebhookSummary summary) {

    public boolean failing() {
      return summary.failures() > 0 || summary.deadLetters() > 0;
    }

    public String successRate() {
      return ConsoleFormat.percent(summary.successRate());
    }

    public String lastFailure() {
      return ConsoleFormat.time(summary.lastFailureAt());
    }

    public String lastFailureIso() {
      return ConsoleFormat.isoTime(summary.lastFailureAt());
    }
  }

  private static final Comparator<Row> FAILING_FIRST = Comparator
      .comparingLong((Row r) -> r.summary().failures() + r.summary().deadLetters()).reversed()
      .thenComparing(r -> r.summary().lastFailureAt(), Comparator.nullsLast(Comparator.reverseOrder()));

  private OverviewRows() {}

  /** {@code webhooks} (in creation order) with their summaries, failing first. */
  public static List<Row> rank(List<Webhook> webhooks, Map<String, WebhookSummary> summaries) {
    return webhooks.stream()
        .map(w -> new Row(w, summaries.getOrDefault(w.id(), WebhookSummary.empty(w.id()))))
        .sorted(FAILING_FIRST)
        .toList();
  }
}
