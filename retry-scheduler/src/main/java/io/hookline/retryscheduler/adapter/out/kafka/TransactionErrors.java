package io.hookline.retryscheduler.adapter.out.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Which transaction errors stop the scheduler and which abort the batch and release it again. */
final class TransactionErrors {

  private TransactionErrors() {}

  /**
   * Errors after which this producer can no longer be used (fenced by a newer instance with the
   * same transactional id, authorization, an unsupported broker): stop rather than carry on.
   */
  static boolean isFatal(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApplicationRecoverableException
          || t instanceof OutOfOrderSequenceException
          || t instanceof AuthorizationException
          || t instanceof AuthenticationException
          || t instanceof UnsupportedVersionException) {
        return true;
      }
    }
    return !(error instanceof KafkaException);
  }
}
