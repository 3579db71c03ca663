package io.hookline.queryapi.live.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.failedexecutions.http.FailedExecutionJson;
import io.hookline.queryapi.live.LiveEvent;
import io.hookline.queryapi.live.domain.LiveChange;
import io.micronaut.http.sse.Event;
import java.io.UncheckedIOException;

/**
 * A live stream's items as Server-Sent Events, each with its position as {@code id:}: a new failure
 * as {@code event: failure} with the failed executions list's item JSON ({@link FailedExecutionJson}),
 * a resolution as {@code event: resolved} with {@code {"id": execution id, "webhook_id": ...}}, a
 * heartbeat as a comment with an id and no data (EventSource keeps the id and fires no event).
 */
final class LiveEventJson {

  static final String FAILURE = "failure";
  static final String RESOLVED = "resolved";
  private static final String HEARTBEAT = "heartbeat";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveEventJson() {}

  static Event<String> event(LiveEvent item) {
    String id = item.position().encode();
    if (item.change() instanceof LiveChange.NewFailure failure) {
      return Event.of(text(FailedExecutionJson.item(failure.execution()))).name(FAILURE).id(id);
    }
    if (item.change() instanceof LiveChange.Resolution resolved) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("id", resolved.executionId());
      data.put("webhook_id", resolved.webhookId());
      return Event.of(text(data)).name(RESOLVED).id(id);
    }
    return Event.of("").comment(HEARTBEAT).id(id);
  }

  private static String text(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
