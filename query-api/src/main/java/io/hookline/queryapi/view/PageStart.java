package io.hookline.queryapi.view;

import java.util.Arrays;

/**
 * Where a page of a list starts: after skipping a number of matching entries (offset, page
 * number), or next to a position, an opaque byte string that sorts like the list (a cursor).
 * A position is stable: entries added or removed elsewhere in the list do not move it, so a client
 * following {@link After} links never sees an entry twice or misses one that was there when it
 * started.
 */
public sealed interface PageStart {

  static PageStart offset(long skipped) {
    return new Offset(skipped);
  }

  /** Skip this many matching entries from the start of the list. */
  record Offset(long skipped) implements PageStart {
    public Offset {
      if (skipped < 0) {
        throw new IllegalArgumentException("skipped must not be negative, was " + skipped);
      }
    }
  }

  /** The entries that follow the entry at {@code position} in the list's order (not including it). */
  final class After extends Position {
    public After(byte[] position) {
      super(position);
    }
  }

  /** The entries that come just before the entry at {@code position} (not including it). */
  final class Before extends Position {
    public Before(byte[] position) {
      super(position);
    }
  }

  /**
   * A start next to a position. The bytes are copied in and out, so a start cannot change once made;
   * two starts are equal when they go the same way from the same position.
   */
  abstract sealed class Position implements PageStart permits After, Before {

    private final byte[] position;

    private Position(byte[] position) {
      this.position = position.clone();
    }

    public byte[] position() {
      return position.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o != null && o.getClass() == getClass() && Arrays.equals(position, ((Position) o).position);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(position);
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "[" + Arrays.toString(position) + "]";
    }
  }
}
