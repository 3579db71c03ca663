package io.hookline.dispatcher.domain;

import java.util.List;
import java.util.Map;

/**
 * A subscription as the dispatcher uses it: where to POST, which events of which portal, whether
 * it is enabled, and the secrets that sign its requests.
 *
 * @param failingSince epoch ms of the first failed delivery since the last delivered one, as stored
 *     on the webhook record (see {@link EndpointLifecycle}); null when none is stored
 * @param rateLimit at most this many deliveries per second ({@link RateLimiter}); null: unlimited
 * @param headers custom headers sent with every request to it (never a reserved one); empty for none
 * @param ordering {@link #KEY_ORDERING}: the executions of one event key are delivered in publish
 *     order, one at a time per key; null: unordered
 */
public record Webhook(String id, String portal, String url, List<String> events, boolean enabled,
    List<SigningSecret> secrets, Long failingSince, Integer rateLimit, Map<String, String> headers, String ordering) {

  /** The ordering that delivers the executions of one event key in publish order. */
  public static final String KEY_ORDERING = "key";

  public Webhook {
    headers = headers == null ? Map.of() : headers;
  }

  /** An unordered webhook. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Long failingSince, Integer rateLimit, Map<String, String> headers) {
    this(id, portal, url, events, enabled, secrets, failingSince, rateLimit, headers, null);
  }

  /** True when its executions of one event key are delivered in publish order. */
  public boolean orderedByKey() {
    return KEY_ORDERING.equals(ordering);
  }

  /** A webhook without custom headers. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Long failingSince, Integer rateLimit) {
    this(id, portal, url, events, enabled, secrets, failingSince, rateLimit, Map.of());
  }

  /** An unlimited webhook. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Long failingSince, Map<String, String> headers) {
    this(id, portal, url, events, enabled, secrets, failingSince, null, headers);
  }

  /** An unlimited webhook without custom headers. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets, Long failingSince) {
    this(id, portal, url, events, enabled, secrets, failingSince, null, Map.of());
  }

  /** A webhook with no failure streak stored. */
  public Webhook(String id, String portal, String url, List<String> events, boolean enabled,
      List<SigningSecret> secrets) {
    this(id, portal, url, events, enabled, secrets, null);
  }
}
