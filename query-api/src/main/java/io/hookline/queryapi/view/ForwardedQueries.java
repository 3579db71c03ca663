package io.hookline.queryapi.view;

/**
 * Told of every question this instance forwards to another instance (the owner or a standby of
 * the key's store partition), for monitoring. Must be cheap and never throw.
 */
@FunctionalInterface
public interface ForwardedQueries {

  void forwarded(String store);

  ForwardedQueries NONE = store -> {};
}
