package io.hookline.queryapi.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverviewRowsTest {

  private static final Instant T = Instant.parse("2026-12-07T08:00:00Z");

  @Test
  void mostFailuresFirstThenLatestFailureThenCreationOrder() {
    List<Webhook> webhooks = List.of(webhook("quiet"), webhook("few-old"), webhook("many"), webhook("few-new"),
        webhook("healthy"), webhook("no-stats"));
    Map<String, WebhookSummary> summaries = Map.of(
        "quiet", WebhookSummary.empty("quiet"),
        "few-old", summary("few-old", 2, 1_000L),
        "many", summary("many", 9, 500L),
        "few-new", summary("few-new", 2, 2_000L),
        "healthy", new WebhookSummary("healthy", 10, 10, 0, 0, 3_000L, null, 40L));

    assertThat(OverviewRows.rank(webhooks, summaries)).extracting(r -> r.webhook().id())
        .containsExactly("many", "few-new", "few-old", "quiet", "healthy", "no-stats");
    assertThat(OverviewRows.rank(webhooks, summaries).get(0).failing()).isTrue();
    assertThat(OverviewRows.rank(webhooks, summaries).get(4).successRate()).isEqualTo("100.0 %");
  }

  private static WebhookSummary summary(String id, long failures, Long lastFailure) {
    return new WebhookSummary(id, failures + 1, 1, failures, 0, null, lastFailure, 10L);
  }

  private static Webhook webhook(String id) {
    return Webhook.create(id, "p", "https://example.com/" + id, List.of("e"), true,
        SigningSecret.current("whsec_x", T), T);
  }
}
