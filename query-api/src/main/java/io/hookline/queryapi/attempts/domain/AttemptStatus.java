package io.hookline.queryapi.attempts.domain;

/** How an attempt ended: SENT, the receiver answered 2xx; ERROR, any other failure; TIMEOUT, no answer in time. */
public enum AttemptStatus {
  SENT,
  ERROR,
  TIMEOUT
}
