package io.hookline.schemas;

/**
 * The header that marks a retry request as a parked execution: the dispatcher set it aside
 * without attempting it, and when it comes back through {@code hookline.redeliveries} (the retry
 * scheduler keeps headers) it is not parked a second time for the same attempt. The value names
 * why it was parked ({@code CIRCUIT_OPEN}, {@code QUEUE_FULL}), in plain text for Kafka tools.
 */
public final class ParkedHeaders {

  public static final String PARKED = "hookline.parked";

  private ParkedHeaders() {}
}
