package io.hookline.queryapi.webhooks.domain;

/**
 * How the dispatcher orders the executions of one webhook. The API and the webhooks topic spell it
 * {@link #value()}: {@code "key"}, or null for none.
 */
public enum Ordering {

  /** No order: requests run in parallel, the fastest. */
  NONE(null),

  /**
   * The executions of one event key (the event's entity_id, else its record key) strictly in publish
   * order: a later one waits while an earlier one waits for its retry; other keys go on.
   */
  KEY("key");

  private final String value;

  Ordering(String value) {
    this.value = value;
  }

  /** Its spelling in the API and on the webhooks topic; null for {@link #NONE}. */
  public String value() {
    return value;
  }

  /**
   * The ordering spelled {@code value} (null: {@link #NONE}); an unknown spelling, as from a newer
   * writer, is read as {@link #NONE} so the webhook stays readable.
   */
  public static Ordering fromStored(String value) {
    return KEY.value.equals(value) ? KEY : NONE;
  }
}
