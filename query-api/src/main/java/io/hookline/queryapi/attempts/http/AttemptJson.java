package io.hookline.queryapi.attempts.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.http.PageLinks;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import java.time.Instant;

/**
 * The JSON of an attempt-log page, shaped after the webhook logs of Talkover and Sendbird:
 * {@code {url, object: "list", data, pagination: {total, limit[, offset]}}} followed by the
 * {@link PageLinks} fields. Each item: {@code execution_id, event_id, event, url, attempt, trigger,
 * status, http_status, duration_ms, created_at, delivered_at, response_excerpt, error,
 * request_headers}. Times are ISO 8601 UTC strings; {@code http_status} and {@code delivered_at}
 * are null when there was no HTTP answer or no 2xx; {@code error} is {@code {code, message}} or
 * null for a sent attempt; the response excerpt is cut at {@link #EXCERPT_CHARS} characters;
 * {@code request_headers} is the signature headers sent, {@code {"webhook-id": ...,
 * "webhook-timestamp": ..., "webhook-signature": ...}}, or null when no request was made.
 */
final class AttemptJson {

  /** The most characters of a response body shown, whatever the dispatcher kept. */
  static final int EXCERPT_CHARS = 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AttemptJson() {}

  static ObjectNode page(String url, AttemptQuery query, Page<Attempt> page) {
    ObjectNode list = NODES.objectNode();
    list.put("url", url);
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    page.items().forEach(a -> data.add(item(a)));
    ObjectNode pagination = list.putObject("pagination");
    pagination.put("total", page.total().orElse(0));
    pagination.put("limit", query.limit());
    if (query.start() instanceof PageStart.Offset offset) {
      pagination.put("offset", offset.skipped());
    }
    return list;
  }

  static ObjectNode item(Attempt a) {
    ObjectNode item = NODES.objectNode();
    item.put("execution_id", a.executionId());
    item.put("event_id", a.eventId());
    item.put("event", a.event());
    item.put("url", a.url());
    item.put("attempt", a.attempt());
    item.put("trigger", a.trigger().name());
    item.put("status", a.status().name());
    item.put("http_status", a.httpStatus());
    item.put("duration_ms", a.durationMs());
    item.put("created_at", Instant.ofEpochMilli(a.createdAt()).toString());
    item.put("delivered_at", a.deliveredAt() == null ? null : Instant.ofEpochMilli(a.deliveredAt()).toString());
    item.put("response_excerpt", excerpt(a.responseExcerpt()));
    if (a.errorCode() == null && a.errorMessage() == null) {
      item.putNull("error");
    } else {
      ObjectNode error = item.putObject("error");
      error.put("code", a.errorCode());
      error.put("message", a.errorMessage());
    }
    if (a.requestHeaders().isEmpty()) {
      item.putNull("request_headers");
    } else {
      ObjectNode headers = item.putObject("request_headers");
      a.requestHeaders().forEach(headers::put);
    }
    return item;
  }

  private static String excerpt(String text) {
    if (text == null || text.length() <= EXCERPT_CHARS) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(EXCERPT_CHARS - 1)) ? EXCERPT_CHARS - 1 : EXCERPT_CHARS;
    return text.substring(0, end);
  }
}
