package io.hookline.queryapi.http.hostile;

import java.util.List;
import java.util.Map;

/**
 * What exists in the API under test, so that most generated requests reach the handlers' depth:
 * the portal and its webhooks (with failed executions, attempts and statistics), webhooks that may
 * be deleted, another portal's webhook, real cursors, and the bearer tokens (valid ones for the
 * portal, and every kind of bad one).
 *
 * @param cursors a real cursor per route path (a list page's {@code next_cursor})
 * @param goodToken the {@code Authorization} value of a token with every scope for {@link #portal}
 * @param badAuthorizations {@code Authorization} values that must not get through: expired, badly
 *     signed, for another portal, without the scope, with claims of the wrong type, garbage; null
 *     means no header
 */
record Fixtures(String host, String portal, String otherPortal, List<String> webhooks, List<String> disposable,
    String foreignWebhook, List<String> executions, Map<String, String> cursors, String goodToken,
    List<String> badAuthorizations, long now) {}
