package io.hookline.queryapi.live;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One open live stream of one portal. It keeps its own position (the next offset per partition it
 * has taken into account), so each event it sends carries the exact point a resumed stream goes
 * on from, and a change at an offset it has passed is never sent twice.
 *
 * <p>At most {@code capacity} items wait for the client. A live change that finds no room closes
 * the stream (its client resumes from the last event it got); a stream catching up waits for room
 * instead, up to a limit. While it catches up, live changes are held (at most {@code capacity})
 * and sent after the stretch read again. Every state change happens under this object's lock, so
 * items are emitted one at a time, in order.
 */
final class LiveSubscriber {

  private final String portal;
  private final int capacity;
  private final Semaphore room;
  private final Sinks.Many<LiveEvent> sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<LiveEvent>unbounded().get());
  private final ArrayDeque<PositionedChange> held = new ArrayDeque<>();
  private final Consumer<LiveSubscriber> onClose;
  private StreamPosition position;
  private boolean catchingUp;
  private boolean closed;

  LiveSubscriber(String portal, StreamPosition position, boolean catchingUp, int capacity,
      Consumer<LiveSubscriber> onClose) {
    this.portal = portal;
    this.position = position;
    this.catchingUp = catchingUp;
    this.capacity = capacity;
    this.room = new Semaphore(capacity);
    this.onClose = onClose;
  }

  /** The items for the client; each one taken frees its room. */
  Flux<LiveEvent> items() {
    return sink.asFlux().doOnNext(item -> room.release());
  }

  /** A change the live tail read. */
  synchronized void live(PositionedChange c) {
    if (closed) {
      return;
    }
    if (catchingUp) {
      if (held.size() >= capacity) {
        overflow();
      } else {
        held.add(c);
      }
      return;
    }
    if (isNew(c) && isMine(c) && !room.tryAcquire()) {
      overflow();
      return;
    }
    take(c);
  }

  /**
   * A change read again while catching up; waits up to {@code wait} for room. False when the
   * stream is closed (or closes now, the client reading too slowly): stop reading for it.
   */
  boolean caughtUp(PositionedChange c, Duration wait) throws InterruptedException {
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (!isNew(c) || !isMine(c)) {
        take(c);
        return true;
      }
    }
    if (!room.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      synchronized (this) {
        overflow();
      }
      return false;
    }
    synchronized (this) {
      if (closed) {
        room.release();
        return false;
      }
      take(c);
      return true;
    }
  }

  /** The stretch up to {@code until} is read again: from here on, live changes go straight out. */
  synchronized void catchUpDone(StreamPosition until) {
    if (closed) {
      return;
    }
    position = position.max(until);
    catchingUp = false;
    while (!held.isEmpty() && !closed) {
      live(held.poll());
    }
  }

  /** Sends the current position with no change, if there is room; a full stream needs none. */
  synchronized void heartbeat() {
    if (!closed && room.tryAcquire()) {
      emit(LiveEvent.heartbeat(position));
    }
  }

  /** Ends the stream after the items already waiting. */
  synchronized void close() {
    if (!closed) {
      closed = true;
      held.clear();
      sink.tryEmitComplete();
      onClose.accept(this);
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private boolean isNew(PositionedChange c) {
    return c.offset() >= position.next(c.partition());
  }

  private boolean isMine(PositionedChange c) {
    return portal.equals(c.change().portal());
  }

  /** Moves past {@code c}, sending it if it is new and of this portal (its room already taken). */
  private void take(PositionedChange c) {
    if (!isNew(c)) {
      return;
    }
    position = position.with(c.partition(), c.offset() + 1);
    if (isMine(c)) {
      emit(new LiveEvent(c.change(), position));
    }
  }

  private void emit(LiveEvent item) {
    if (sink.tryEmitNext(item).isFailure()) {
      close();
    }
  }

  private void overflow() {
    close();
  }
}
