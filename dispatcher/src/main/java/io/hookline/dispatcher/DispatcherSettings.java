package io.hookline.dispatcher;

import io.hookline.dispatcher.application.DeliveryLimits;
import io.hookline.dispatcher.application.IsolationLimits;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import io.hookline.dispatcher.domain.Throttling;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the dispatcher needs to run, already parsed and validated.
 *
 * @param secretsKey base64 AES-256 key of the signing secrets at rest; checked when the dispatcher
 *     starts (see {@link io.hookline.runtime.SecretCipher}), never shown by {@link #toString()}
 * @param secretsPreviousKeys comma-separated base64 keys that still decrypt secrets written before a
 *     key rotation; null or blank for none; never shown by {@link #toString()}
 * @param warmUp how long the dispatcher may run its delivery path on synthetic events before it
 *     joins its consumer group, so that the JIT has compiled it ({@code DispatcherWarmUp}); zero:
 *     no warm-up
 */
public record DispatcherSettings(
    String bootstrapServers,
    TopicSettings topics,
    RetrySchedule retrySchedule,
    Duration deliveryTimeout,
    int maxInFlight,
    int maxInFlightPerWebhook,
    int maxQueued,
    String groupId,
    int responseExcerptBytes,
    Duration commitInterval,
    boolean allowPrivateTargets,
    String secretsKey,
    int breakerFailureThreshold,
    Duration breakerOpenDuration,
    int maxQueuedPerWebhook,
    String secretsPreviousKeys,
    Duration maxRetryAfter,
    Duration warmUp) {

  public DispatcherSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    if (responseExcerptBytes < 0) {
      throw new IllegalArgumentException("response-excerpt-bytes must be >= 0");
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commit-interval must be positive");
    }
    new DeliveryLimits(maxInFlight, maxInFlightPerWebhook, maxQueued, deliveryTimeout); // validates
    new IsolationLimits(breakerFailureThreshold, breakerOpenDuration, maxQueuedPerWebhook); // validates
    new Throttling(maxRetryAfter); // validates
    if (warmUp == null || warmUp.isNegative()) {
      throw new IllegalArgumentException("dispatcher-warm-up must be 0s (off) or more, was " + warmUp);
    }
  }

  /** Settings without a start-up warm-up. */
  public DispatcherSettings(String bootstrapServers, TopicSettings topics, RetrySchedule retrySchedule,
      Duration deliveryTimeout, int maxInFlight, int maxInFlightPerWebhook, int maxQueued, String groupId,
      int responseExcerptBytes, Duration commitInterval, boolean allowPrivateTargets, String secretsKey,
      int breakerFailureThreshold, Duration breakerOpenDuration, int maxQueuedPerWebhook, String secretsPreviousKeys,
      Duration maxRetryAfter) {
    this(bootstrapServers, topics, retrySchedule, deliveryTimeout, maxInFlight, maxInFlightPerWebhook, maxQueued, groupId,
        responseExcerptBytes, commitInterval, allowPrivateTargets, secretsKey, breakerFailureThreshold,
        breakerOpenDuration, maxQueuedPerWebhook, secretsPreviousKeys, maxRetryAfter, Duration.ZERO);
  }

  /** Settings with the default longest pause a receiver may ask for ({@link Throttling#DEFAULT_MAX_PAUSE}). */
  public DispatcherSettings(String bootstrapServers, TopicSettings topics, RetrySchedule retrySchedule,
      Duration deliveryTimeout, int maxInFlight, int maxInFlightPerWebhook, int maxQueued, String groupId,
      int responseExcerptBytes, Duration commitInterval, boolean allowPrivateTargets, String secretsKey,
      int breakerFailureThreshold, Duration breakerOpenDuration, int maxQueuedPerWebhook, String secretsPreviousKeys) {
    this(bootstrapServers, topics, retrySchedule, deliveryTimeout, maxInFlight, maxInFlightPerWebhook, maxQueued, groupId,
        responseExcerptBytes, commitInterval, allowPrivateTargets, secretsKey, breakerFailureThreshold,
        breakerOpenDuration, maxQueuedPerWebhook, secretsPreviousKeys, Throttling.DEFAULT_MAX_PAUSE);
  }

  /** Settings with no previous secrets key (no key rotation under way). */
  public DispatcherSettings(String bootstrapServers, TopicSettings topics, RetrySchedule retrySchedule,
      Duration deliveryTimeout, int maxInFlight, int maxInFlightPerWebhook, int maxQueued, String groupId,
      int responseExcerptBytes, Duration commitInterval, boolean allowPrivateTargets, String secretsKey,
      int breakerFailureThreshold, Duration breakerOpenDuration, int maxQueuedPerWebhook) {
    this(bootstrapServers, topics, retrySchedule, deliveryTimeout, maxInFlight, maxInFlightPerWebhook, maxQueued, groupId,
        responseExcerptBytes, commitInterval, allowPrivateTargets, secretsKey, breakerFailureThreshold,
        breakerOpenDuration, maxQueuedPerWebhook, null);
  }

  /** Settings with the default isolation: breaker after 5 failures, open 30 s, 100 queued per webhook. */
  public DispatcherSettings(String bootstrapServers, TopicSettings topics, RetrySchedule retrySchedule,
      Duration deliveryTimeout, int maxInFlight, int maxInFlightPerWebhook, int maxQueued, String groupId,
      int responseExcerptBytes, Duration commitInterval, boolean allowPrivateTargets, String secretsKey) {
    this(bootstrapServers, topics, retrySchedule, deliveryTimeout, maxInFlight, maxInFlightPerWebhook, maxQueued, groupId,
        responseExcerptBytes, commitInterval, allowPrivateTargets, secretsKey, 5, Duration.ofSeconds(30), 100);
  }

  @Override
  public String toString() {
    return "DispatcherSettings[bootstrapServers=" + bootstrapServers + ", topics=" + topics + ", retrySchedule="
        + retrySchedule + ", deliveryTimeout=" + deliveryTimeout + ", maxInFlight=" + maxInFlight
        + ", maxInFlightPerWebhook=" + maxInFlightPerWebhook + ", maxQueued=" + maxQueued + ", groupId=" + groupId
        + ", responseExcerptBytes=" + responseExcerptBytes + ", commitInterval=" + commitInterval
        + ", allowPrivateTargets=" + allowPrivateTargets + ", secretsKey=" + (secretsKey == null ? "unset" : "***")
        + ", breakerFailureThreshold=" + breakerFailureThreshold + ", breakerOpenDuration=" + breakerOpenDuration
        + ", maxQueuedPerWebhook=" + maxQueuedPerWebhook
        + ", secretsPreviousKeys=" + (secretsPreviousKeys == null || secretsPreviousKeys.isBlank() ? "none" : "***")
        + ", maxRetryAfter=" + maxRetryAfter + ", warmUp=" + warmUp + "]";
  }

  public DeliveryLimits limits() {
    return new DeliveryLimits(maxInFlight, maxInFlightPerWebhook, maxQueued, deliveryTimeout);
  }

  public Throttling throttling() {
    return new Throttling(maxRetryAfter);
  }

  public IsolationLimits isolation() {
    return new IsolationLimits(breakerFailureThreshold, breakerOpenDuration, maxQueuedPerWebhook);
  }
}
