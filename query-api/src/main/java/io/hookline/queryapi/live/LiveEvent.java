package io.hookline.queryapi.live;

import io.hookline.queryapi.live.domain.LiveChange;
import java.util.Objects;

/**
 * One item of a live stream: a change of the subscriber's portal, or none (a heartbeat), with the
 * position a stream resumed from it continues at: everything before it has been sent.
 *
 * @param change null for a heartbeat, which only moves the position on
 */
public record LiveEvent(LiveChange change, StreamPosition position) {

  public LiveEvent {
    Objects.requireNonNull(position, "position");
  }

  static LiveEvent heartbeat(StreamPosition position) {
    return new LiveEvent(null, position);
  }

  public boolean isHeartbeat() {
    return change == null;
  }
}
