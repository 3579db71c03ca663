package io.hookline.schemas;

/**
 * The header of a record on {@code hookline.ordered} that names its execution's ordering key: the
 * event's {@code entity_id}, else the event's record key on {@code hookline.events}. Executions of
 * one webhook with the same key are delivered in the order of their records. UTF-8 text.
 */
public final class OrderedHeaders {

  public static final String KEY = "hookline.ordering-key";

  private OrderedHeaders() {}
}
