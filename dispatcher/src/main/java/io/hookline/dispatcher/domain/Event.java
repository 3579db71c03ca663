package io.hookline.dispatcher.domain;

/**
 * An event as it is delivered: the fields of the contract, the JSON ones ({@code entityLabel},
 * {@code payload}) as JSON text that was checked when the event was read.
 *
 * @param id the event's id (one is assigned when the producer gave none)
 * @param name the event name subscribers subscribe to
 * @param eventTime epoch ms at which the event happened, or null
 */
public record Event(
    String id, String portal, String appId, String name, String entity, String entityId, String entityLabel,
    Long eventTime, String payload) {

  /**
   * The key under which a webhook with ordering delivers this event in publish order: its
   * {@code entity_id}, else {@code recordKey} (its record key on the events topic), else the empty
   * key (all such events of the webhook, in one order).
   */
  public String orderingKey(String recordKey) {
    if (entityId != null && !entityId.isEmpty()) {
      return entityId;
    }
    return recordKey == null ? "" : recordKey;
  }
}
