package io.hookline.schemas;

import org.apache.kafka.common.header.Headers;

/**
 * The header of a <em>subscription marker</em>: a record the query-api appends to every partition of
 * {@code hookline.events} once a change of a webhook or an event type is committed, before it
 * answers the change. Its value is empty (null); the header's value
 * names the writer (UTF-8 text), for people reading the log.
 *
 * <p>A dispatcher that reads a marker brings its copies of the webhooks and event types topics up to
 * their end before it dispatches the records after it. Every record published after the API's
 * answer follows the marker in its partition, so it is matched against subscriptions that include
 * the change; records with no marker before them need no look-up. A record that carries the header
 * and a value is still processed as what its value is: the header never hides a record.
 */
public final class SubscriptionMarkerHeaders {

  public static final String CHANGED = "hookline.subscriptions.changed";

  private SubscriptionMarkerHeaders() {}

  /** True when {@code headers} carry the marker header. */
  public static boolean marks(Headers headers) {
    return headers.lastHeader(CHANGED) != null;
  }
}
