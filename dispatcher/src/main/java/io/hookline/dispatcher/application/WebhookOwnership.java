package io.hookline.dispatcher.application;

/**
 * Which webhooks this instance delivers rate-limited executions for. Every retry and parked
 * execution of a webhook comes back through its one partition of the redeliveries topic, so the
 * instance that owns that partition sees all of them; a first attempt dispatched by another
 * instance (events are partitioned by portal or entity, not by webhook) is handed over to it, so one
 * limiter per webhook counts every delivery.
 */
@FunctionalInterface
public interface WebhookOwnership {

  /** Every webhook is delivered here (one instance, or tests). */
  WebhookOwnership ALL = webhookId -> true;

  boolean owns(String webhookId);
}
