package io.hookline.dispatcher.domain;

/** How an attempt ended, as the attempt log shows it. */
public enum AttemptStatus {
  /** The receiver answered 2xx. */
  SENT,
  /** Any other failure: an error status, a refused connection, a request that was not sent. */
  ERROR,
  /** No complete answer within the delivery timeout. */
  TIMEOUT
}
