package io.hookline.schemas;

import java.util.Arrays;
import java.util.Optional;

/**
 * The types of {@code OperationalEvent} on the operational topic, with the names they carry on the
 * wire (Svix's operational webhooks spell them the same way), and the derivation of event ids: an
 * event's id is a name-based UUID of its type and what caused it, so a write that is retried (a
 * record processed again after a crash, an API request sent again) produces the same id and
 * consumers can de-duplicate.
 */
public enum OperationalEventType {
  /** The webhook's circuit breaker opened: its endpoint keeps timing out or refusing connections. */
  ENDPOINT_FAILING("endpoint.failing"),
  /** The breaker closed again: the endpoint answers. */
  ENDPOINT_RECOVERED("endpoint.recovered"),
  /** Hookline disabled the webhook (410 Gone, or every delivery failed for the disable-after period). */
  ENDPOINT_DISABLED("endpoint.disabled"),
  /** An execution failed for good and is on the dead-letter topic. */
  EXECUTION_EXHAUSTED("execution.exhausted"),
  WEBHOOK_CREATED("webhook.created"),
  WEBHOOK_UPDATED("webhook.updated"),
  WEBHOOK_DELETED("webhook.deleted");

  private final String wireName;

  OperationalEventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire: {@code endpoint.failing}, {@code webhook.created}, ... */
  public String wireName() {
    return wireName;
  }

  public static Optional<OperationalEventType> ofWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** The id of the event of this type caused by {@code cause} (e.g. webhook id and version, execution id and attempt). */
  public String eventId(String... cause) {
    return NameBasedUuid.of(wireName + ":" + String.join(":", cause)).toString();
  }
}
