package io.hookline.retryscheduler.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

/** Which transaction errors stop the scheduler and which abort the batch and release it again. */
class TransactionErrorsTest {

  @Test
  void aFencedOrUnauthorisedProducerStops() {
    assertThat(TransactionErrors.isFatal(new ProducerFencedException("newer instance"))).isTrue();
    assertThat(TransactionErrors.isFatal(new InvalidProducerEpochException("old epoch"))).isTrue();
    assertThat(TransactionErrors.isFatal(new TopicAuthorizationException("no write"))).isTrue();
    assertThat(TransactionErrors.isFatal(new KafkaException("error state", new ProducerFencedException("newer")))).isTrue();
    assertThat(TransactionErrors.isFatal(new IllegalStateException("producer closed"))).isTrue();
  }

  @Test
  void abortableErrorsDoNotStopTheScheduler() {
    assertThat(TransactionErrors.isFatal(new TransactionAbortableException("abort"))).isFalse();
    assertThat(TransactionErrors.isFatal(new CommitFailedException("rebalanced"))).isFalse();
    assertThat(TransactionErrors.isFatal(new RecordTooLargeException("too large"))).isFalse();
    assertThat(TransactionErrors.isFatal(new TimeoutException("slow broker"))).isFalse();
    assertThat(TransactionErrors.isFatal(new KafkaException("error state", new RecordTooLargeException("too large")))).isFalse();
  }
}
