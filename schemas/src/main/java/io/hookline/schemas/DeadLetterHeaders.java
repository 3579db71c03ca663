package io.hookline.schemas;

import io.hookline.avro.FailedExecution;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain-text headers on every {@code hookline.dead-letter} record, repeating the essentials of the
 * Avro value so that a team reading the topic with kcat or any Kafka tool sees what failed and why
 * without decoding Avro. The value stays the source of truth.
 */
public final class DeadLetterHeaders {

  public static final String EXECUTION_ID = "hookline.execution-id";
  public static final String PORTAL = "hookline.portal";
  public static final String EVENT = "hookline.event";
  public static final String STATE = "hookline.state";
  public static final String ERROR_CODE = "hookline.error-code";
  public static final String HTTP_STATUS = "hookline.http-status";
  public static final String NUMBER_OF_RETRIES = "hookline.number-of-retries";

  private DeadLetterHeaders() {}

  /** The headers for a record, in a stable order; absent values are left out. */
  public static Map<String, byte[]> of(FailedExecution f) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    TextHeaders.putIfPresent(h, EXECUTION_ID, f.getExecutionId());
    TextHeaders.putIfPresent(h, PORTAL, f.getPortal());
    TextHeaders.putIfPresent(h, EVENT, f.getEvent() == null ? null : f.getEvent().getEvent());
    TextHeaders.putIfPresent(h, STATE, f.getState() == null ? null : f.getState().name());
    TextHeaders.putIfPresent(h, ERROR_CODE, f.getErrorCode());
    TextHeaders.putIfPresent(h, HTTP_STATUS, f.getLastHttpStatus() == null ? null : f.getLastHttpStatus().toString());
    TextHeaders.putIfPresent(h, NUMBER_OF_RETRIES, Integer.toString(f.getNumberOfRetries()));
    return h;
  }
}
