package io.hookline.queryapi.attempts.domain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One delivery attempt of an execution and how it ended. Times are epoch milliseconds.
 *
 * @param httpStatus null when no HTTP answer came
 * @param deliveredAt null unless the receiver answered 2xx
 * @param responseExcerpt the start of the receiver's answer as the dispatcher kept it; null when none
 * @param requestHeaders the Standard Webhooks headers of the request sent (webhook-id,
 *     webhook-timestamp, webhook-signature), by name; empty when no request was made (a null
 *     argument is taken as empty)
 */
public record Attempt(String executionId, String webhookId, String portal, String eventId, String event, String url,
    int attempt, Trigger trigger, AttemptStatus status, Integer httpStatus, String errorCode, String errorMessage,
    long durationMs, long createdAt, Long deliveredAt, String responseExcerpt, Map<String, String> requestHeaders) {

  public Attempt {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(status, "status");
    requestHeaders = requestHeaders == null || requestHeaders.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(requestHeaders));
  }
}
