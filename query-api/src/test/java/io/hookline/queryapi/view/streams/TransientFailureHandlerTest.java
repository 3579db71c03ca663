package io.hookline.queryapi.view.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class TransientFailureHandlerTest {

  private final TransientFailureHandler handler = new TransientFailureHandler();

  @Test
  void aThreadThatOutwaitedTheBrokerIsReplaced() {
    // As logged after a broker was away for longer than max.block.ms.
    Throwable commitFailed = new StreamsException("Error encountered trying to commit a transaction",
        new KafkaException("Cannot execute transactional method because we are in an error state",
            new TransactionAbortableException("Transaction Request was aborted after exhausting retries.",
                new TimeoutException("Topic x-changelog not present in metadata after 60000 ms."))));
    assertThat(handler.handle(commitFailed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(handler.handle(new TimeoutException("fetching metadata")))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void anyOtherFailureStopsTheViews() {
    assertThat(handler.handle(new StreamsException(new IllegalStateException("a bug"))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(handler.handle(new KafkaException("fatal"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }
}
