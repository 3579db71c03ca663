package io.hookline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the end-to-end tests do the way users do it: register webhooks, publish JSON events. */
final class EndToEnd {

  static final ObjectMapper JSON = new ObjectMapper();

  private EndToEnd() {}

  /** Registers a webhook through the API and returns the created webhook (with its secret). */
  static JsonNode createWebhook(RunningHookline hookline, String portal, String url, List<String> events) throws Exception {
    String body = JSON.writeValueAsString(Map.of("url", url, "events", events));
    var response = hookline.api("POST", "/api/v2/" + portal + "/webhooks", portal, body);
    if (response.statusCode() != 201) {
      throw new AssertionError("webhook creation answered " + response.statusCode() + ": " + response.body());
    }
    return read(response.body());
  }

  /** Publishes the JSON form of an event with the given id, keyed by portal. */
  static RecordMetadata publish(KafkaProducer<String, byte[]> producer, RunningHookline hookline,
      String portal, String eventId, String eventName) throws Exception {
    String json = JSON.writeValueAsString(Map.of("id", eventId, "portal", portal, "event", eventName,
        "entity", "conversation", "payload", Map.of("n", eventId)));
    return producer.send(new ProducerRecord<>(hookline.topics().events().name(), portal,
        json.getBytes(StandardCharsets.UTF_8))).get();
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
