package io.hookline.queryapi.failedexecutions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.failedexecutions.domain.Event;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import java.util.List;

/**
 * The Zoho SalesIQ shape of a failed-executions page: {@code {url, object: "list", data, sync_time}},
 * each item with {@code event, remote_server_status, id, number_of_retries, entity_id, entity,
 * entity_label, app_id, webhook_id, payload, last_execution_time} in that order, plus
 * {@code error: {code, message}} when the failure has a code. Numbers are JSON numbers, times epoch
 * milliseconds in strings, {@code entity_label} and {@code payload} the event's JSON values (not
 * strings). {@code remote_server_status} is null when no HTTP answer came (a timeout or connection
 * error); absent optional event fields are null.
 */
public final class FailedExecutionJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private FailedExecutionJson() {}

  static ObjectNode page(String url, List<FailedExecution> failures, long syncTime) {
    ObjectNode page = NODES.objectNode();
    page.put("url", url);
    page.put("object", "list");
    ArrayNode data = page.putArray("data");
    failures.forEach(f -> data.add(item(f)));
    page.put("sync_time", Long.toString(syncTime));
    return page;
  }

  /** One failed execution as an item of the list (the live failure stream sends the same). */
  public static ObjectNode item(FailedExecution f) {
    Event event = f.event();
    ObjectNode item = NODES.objectNode();
    item.put("event", event.name());
    item.put("remote_server_status", f.lastHttpStatus());
    item.put("id", f.executionId());
    item.put("number_of_retries", f.numberOfRetries());
    item.put("entity_id", event.entityId());
    item.put("entity", event.entity());
    item.set("entity_label", jsonValue(event.entityLabel()));
    item.put("app_id", event.appId());
    item.put("webhook_id", f.webhookId());
    item.set("payload", jsonValue(event.payload()));
    item.put("last_execution_time", Long.toString(f.lastExecutionTime()));
    if (f.errorCode() != null) {
      ObjectNode error = item.putObject("error");
      error.put("code", f.errorCode());
      error.put("message", f.errorMessage());
    }
    return item;
  }

  /** The JSON text the event carried, as JSON; text that is not JSON stays a string. */
  private static JsonNode jsonValue(String text) {
    if (text == null) {
      return NODES.nullNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return NODES.textNode(text);
    }
  }
}
