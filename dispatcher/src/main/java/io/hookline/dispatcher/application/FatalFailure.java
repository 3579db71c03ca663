package io.hookline.dispatcher.application;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first failure the dispatcher cannot go on after (an outcome that could not be written). Once
 * reported, the service stops consuming and exits non-zero instead of committing past the record
 * whose outcome was lost.
 */
public final class FatalFailure {

  private static final Logger LOG = LoggerFactory.getLogger(FatalFailure.class);

  private final AtomicReference<Throwable> first = new AtomicReference<>();

  public void report(Throwable error) {
    if (first.compareAndSet(null, error)) {
      LOG.error("Fatal: the dispatcher stops consuming; offsets stay before the record whose outcome was not written", error);
    }
  }

  /** The failure, or null while none happened. */
  public Throwable get() {
    return first.get();
  }
}
