package io.hookline.queryapi.live;

import io.hookline.queryapi.view.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The live streams of failure changes of one query-api instance: one shared tail of the failure
 * log {@linkplain #publish publishes} every change it reads, and each open stream takes those of
 * its portal. A stream that resumes from a position behind the tail first reads the stretch in
 * between again ({@link FailureLogReader}, on a few threads of its own), then goes live without a
 * gap or a duplicate: its start point and its registration happen under the lock the tail
 * publishes under.
 *
 * <p>Bounded: at most {@code maxStreams} streams (more are refused with
 * {@link LiveStreamsFullException}), at most {@code capacity} items waiting per stream (a slow
 * client's stream is closed, never the tail held up), a heartbeat every {@code heartbeat} so that
 * proxies keep idle streams open and dead clients are noticed. {@link #close()} ends every stream.
 */
public final class LiveFailureStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFailureStreams.class);
  /** Streams reading the log again at the same time; more wait for a turn. */
  private static final int CATCH_UP_THREADS = 4;
  /** How long a stream catching up may wait for its client to take items before it is closed. */
  private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(30);

  private final int maxStreams;
  private final int capacity;
  private final FailureLogReader log;
  private final Object lock = new Object();
  private final List<LiveSubscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  /** Reading the log again blocks: daemon threads of its own, at most {@link #CATCH_UP_THREADS}, the rest queued. */
  private final Scheduler catchUps = Schedulers.newBoundedElastic(CATCH_UP_THREADS, Integer.MAX_VALUE, "live-catch-up",
      60, true);
  private final Scheduler heartbeats = Schedulers.newSingle("live-heartbeat", true);
  private StreamPosition tail;
  private boolean closed;

  public LiveFailureStreams(int maxStreams, int capacity, Duration heartbeat, FailureLogReader log) {
    if (maxStreams < 1 || capacity < 1) {
      throw new IllegalArgumentException("maxStreams and capacity must be positive");
    }
    this.maxStreams = maxStreams;
    this.capacity = capacity;
    this.log = Objects.requireNonNull(log, "log");
    long every = heartbeat.toMillis();
    heartbeats.schedulePeriodically(() -> subscribers.forEach(LiveSubscriber::heartbeat), every, every,
        TimeUnit.MILLISECONDS);
  }

  /** The tail reads on from {@code start}; called once, before it publishes. */
  public void tailStartsAt(StreamPosition start) {
    synchronized (lock) {
      tail = start;
    }
  }

  /** A change the tail read; it is past it afterwards. */
  public void publish(PositionedChange change) {
    synchronized (lock) {
      tail = tail.with(change.partition(), Math.max(tail.next(change.partition()), change.offset() + 1));
      for (LiveSubscriber s : subscribers) {
        s.live(change);
      }
    }
  }

  /**
   * A stream of {@code portal}'s changes: from {@code resumeFrom} when given, else from now on. Its
   * first item is a heartbeat with its start position.
   *
   * @throws LiveStreamsFullException when {@code maxStreams} streams are open
   * @throws StoreUnavailableException when the tail has not started or the streams are closed
   */
  public Publisher<LiveEvent> open(String portal, StreamPosition resumeFrom) {
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      throw new LiveStreamsFullException(maxStreams);
    }
    LiveSubscriber s;
    StreamPosition until;
    boolean catchUp;
    synchronized (lock) {
      if (closed || tail == null) {
        open.decrementAndGet();
        throw new StoreUnavailableException("Live failure streams are " + (closed ? "stopped" : "not started yet"),
            null);
      }
      until = tail;
      catchUp = resumeFrom != null && resumeFrom.isBehind(until);
      StreamPosition start = resumeFrom == null ? until : catchUp ? resumeFrom : resumeFrom.max(until);
      s = new LiveSubscriber(portal, start, catchUp, capacity, this::ended);
      subscribers.add(s);
      s.heartbeat();
    }
    if (catchUp) {
      catchUps.schedule(() -> catchUp(s, resumeFrom, until));
    }
    return Flux.from(s.items()).doFinally(signal -> s.close());
  }

  /** A stream ended (its client left, read too slowly, or the streams close): its place is free. */
  private void ended(LiveSubscriber s) {
    if (subscribers.remove(s)) {
      open.decrementAndGet();
    }
  }

  /** Open streams, including those still catching up. */
  public int openStreams() {
    return open.get();
  }

  private void catchUp(LiveSubscriber s, StreamPosition from, StreamPosition until) {
    try {
      log.read(from, until, change -> {
        try {
          return s.caughtUp(change, CATCH_UP_WAIT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });
      s.catchUpDone(until);
    } catch (RuntimeException e) {
      LOG.warn("A live stream could not read the failure log from {} to {}; it is closed and its client resumes: {}",
          from, until, e.toString());
      s.close();
    }
  }

  /** Ends every stream (after the items already waiting) and refuses new ones. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    subscribers.forEach(LiveSubscriber::close);
    heartbeats.dispose();
    catchUps.dispose();
  }
}
