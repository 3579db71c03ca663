package io.hookline.queryapi.live;

import io.hookline.queryapi.live.domain.LiveChange;
import java.util.Objects;

/** A change read from {@code partition} at {@code offset} of the failure log. */
public record PositionedChange(int partition, long offset, LiveChange change) {

  public PositionedChange {
    Objects.requireNonNull(change, "change");
  }
}
