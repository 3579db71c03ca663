package io.hookline.queryapi.view.streams;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a stream thread of the views died. A Kafka error that passes once the broker
 * answers again (a time-out, a transaction aborted after its retries ran out: what a broker away
 * for longer than the producer's {@code max.block.ms}, 60 s, leaves behind) replaces the thread;
 * the new one rejoins the group under the same member id and restores its tasks, so the views come
 * back by themselves and the instance is never restarted for it. Anything else stops the instance
 * ({@code ERROR}, which the liveness probe reports), as Kafka Streams does by default.
 */
final class TransientFailureHandler implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(TransientFailureHandler.class);

  @Override
  public StreamThreadExceptionResponse handle(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriableException || t instanceof TransactionAbortableException) {
        LOG.warn("A thread of the query views stopped on a transient Kafka error; starting a new one", failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
    }
    LOG.error("A thread of the query views failed; the views stop", failure);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }
}
