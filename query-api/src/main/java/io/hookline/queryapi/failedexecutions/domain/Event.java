package io.hookline.queryapi.failedexecutions.domain;

import java.util.Objects;

/**
 * The event a failed execution was delivering, as the portal published it: {@code name} is the
 * event type (e.g. {@code conversation.created}); {@code entityLabel} and {@code payload} are JSON
 * text. Kept whole, because a re-send delivers it again exactly as it was.
 *
 * @param id null when the event has none
 * @param eventTime epoch ms; null when the event has none
 */
public record Event(String id, String portal, String appId, String name, String entity, String entityId,
    String entityLabel, Long eventTime, String payload) {

  public Event {
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(payload, "payload");
  }
}
