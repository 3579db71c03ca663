package io.hookline.dispatcher.domain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the network did into a {@link DeliveryOutcome}: 2xx is delivered, any other status
 * (redirects included, since they are not followed) is an {@code HTTP_ERROR}, no answer within the
 * deadline is a {@code TIMEOUT}, and everything else that prevented an answer (refused, reset or
 * closed connections, unknown hosts, unusable URLs) is a {@code CONNECTION_ERROR}.
 */
public final class OutcomeClassifier {

  private OutcomeClassifier() {}

  public static DeliveryOutcome fromStatus(int status, String excerpt) {
    return fromStatus(status, excerpt, null);
  }

  /** {@code retryAfter}: the answer's {@code Retry-After} header, null when it had none. */
  public static DeliveryOutcome fromStatus(int status, String excerpt, String retryAfter) {
    if (status >= 200 && status < 300) {
      return new DeliveryOutcome.Delivered(status, excerpt);
    }
    String message = status == 410
        ? "HTTP 410 Gone: the receiver says this endpoint is gone; not retried"
        : "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
    return new DeliveryOutcome.Failed(FailureReason.HTTP_ERROR, status, message, excerpt, retryAfter);
  }

  public static DeliveryOutcome.Failed fromError(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof TimeoutException || e instanceof HttpTimeoutException || e instanceof InterruptedIOException) {
      boolean connect = e instanceof HttpConnectTimeoutException
          || (e instanceof InterruptedIOException && describe(e).toLowerCase(Locale.ROOT).contains("connect"));
      String what = connect ? "connect timed out" : "no response";
      return DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, what + " within the delivery timeout");
    }
    if (e instanceof UnresolvedAddressException || e.getCause() instanceof UnresolvedAddressException) {
      return DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "unknown host");
    }
    if (e instanceof UnknownHostException) {
      return DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "unknown host " + describe(e));
    }
    if (e instanceof ConnectException) {
      return DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "connection refused: " + describe(e));
    }
    if (e instanceof IOException) {
      return DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "connection failed: " + describe(e));
    }
    if (e instanceof IllegalArgumentException) {
      return DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, "unusable URL: " + describe(e));
    }
    return DeliveryOutcome.Failed.of(FailureReason.CONNECTION_ERROR, describe(e));
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
