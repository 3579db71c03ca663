package io.hookline.dispatcher.domain;

/**
 * An event as it is delivered: the fields of the contract, the JSON ones ({@code entityLabel},
 * {@code payload}) as JSON text that was checked when the event was read.
 *
 * @param id the event's id (one is assigned when the producer gave none)
 * @param name the event name subscribers subscribe to
 * @param eventTime epoch ms at which the event happened, or null
 */
public record Event(
    String id, String portal, String appId, String name, String entity, String entityId, String entityLabel,
    Long eventTime, String payload) {}
