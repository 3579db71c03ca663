package io.hookline.dispatcher.config;

import io.hookline.dispatcher.DispatcherSettings;
import io.hookline.dispatcher.OperationalSettings;
import io.hookline.dispatcher.domain.Throttling;
import io.hookline.schemas.DurationText;
import io.hookline.runtime.ConfigurationChecks;
import io.hookline.runtime.HooklineConfiguration;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The dispatcher's configuration, {@code hookline.*} in application.yml, each key overridable by
 * its environment variable ({@code hookline.max-in-flight} by {@code HOOKLINE_MAX_IN_FLIGHT}).
 * The keys every service shares are bound by {@link HooklineConfiguration}.
 */
@ConfigurationProperties("hookline")
public class DispatcherConfiguration {

  /** The start-up warm-up's time budget unless configured (hookline.dispatcher-warm-up): off. */
  static final Duration DEFAULT_WARM_UP = Duration.ZERO;

  private Duration deliveryTimeout = Duration.ofSeconds(5);
  private int maxInFlight = 512;
  private int maxInFlightPerWebhook = 8;
  private int maxQueued = 10_000;
  private String dispatcherGroupId = "hookline-dispatcher";
  private int responseExcerptBytes = 4096;
  private Duration commitInterval = Duration.ofMillis(150);
  private boolean allowPrivateTargets = false;
  private String secretsKey;
  private String secretsPreviousKeys;
  private int breakerFailureThreshold = 5;
  private Duration breakerOpenDuration = Duration.ofSeconds(30);
  private int maxQueuedPerWebhook = 100;
  private String disableAfter = "5d";
  private String operationalWebhookUrl;
  private String operationalWebhookSecret;
  private String operationalWebhookGroupId;
  private int managementPort = 8081;
  private Duration maxRetryAfter = Throttling.DEFAULT_MAX_PAUSE;
  private Duration dispatcherWarmUp = DEFAULT_WARM_UP;

  /** The settings the dispatcher runs with, validated: its own keys and the shared ones. */
  public DispatcherSettings toSettings(HooklineConfiguration shared) {
    return new DispatcherSettings(
        shared.getKafkaBootstrapServers(),
        shared.topicSettings(),
        shared.retrySchedule(),
        deliveryTimeout, maxInFlight, maxInFlightPerWebhook, maxQueued, dispatcherGroupId, responseExcerptBytes,
        commitInterval, allowPrivateTargets, secretsKey, breakerFailureThreshold, breakerOpenDuration,
        maxQueuedPerWebhook, secretsPreviousKeys, maxRetryAfter, dispatcherWarmUp);
  }

  public Duration getDeliveryTimeout() {
    return deliveryTimeout;
  }

  public void setDeliveryTimeout(Duration deliveryTimeout) {
    this.deliveryTimeout = deliveryTimeout;
  }

  /** The endpoint lifecycle and operator notification settings, validated. */
  public OperationalSettings toOperationalSettings() {
    Duration after;
    try {
      after = disableAfter.trim().equals("0") ? Duration.ZERO : DurationText.parse(disableAfter);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hookline.disable-after (HOOKLINE_DISABLE_AFTER): " + e.getMessage(), e);
    }
    return new OperationalSettings(after, operationalWebhookUrl, operationalWebhookSecret, operationalWebhookGroupId);
  }

  /** How long every delivery to a webhook must fail before it is disabled ({@code 5d}; {@code 0}: never). */
  public String getDisableAfter() {
    return disableAfter;
  }

  public void setDisableAfter(String disableAfter) {
    this.disableAfter = disableAfter == null ? "0" : disableAfter;
  }

  /** Where operational events are POSTed as signed webhooks; null: not sent. */
  public String getOperationalWebhookUrl() {
    return operationalWebhookUrl;
  }

  public void setOperationalWebhookUrl(String operationalWebhookUrl) {
    this.operationalWebhookUrl = operationalWebhookUrl;
  }

  /** The {@code whsec_} secret signing operational webhooks. */
  public String getOperationalWebhookSecret() {
    return operationalWebhookSecret;
  }

  public void setOperationalWebhookSecret(String operationalWebhookSecret) {
    this.operationalWebhookSecret = operationalWebhookSecret;
  }

  /** Consumer group of the operational webhook sender; null: the dispatcher group id + {@code -operational}. */
  public String getOperationalWebhookGroupId() {
    return operationalWebhookGroupId;
  }

  public void setOperationalWebhookGroupId(String operationalWebhookGroupId) {
    this.operationalWebhookGroupId = operationalWebhookGroupId;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public void setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  public int getMaxInFlightPerWebhook() {
    return maxInFlightPerWebhook;
  }

  public void setMaxInFlightPerWebhook(int maxInFlightPerWebhook) {
    this.maxInFlightPerWebhook = maxInFlightPerWebhook;
  }

  public int getMaxQueued() {
    return maxQueued;
  }

  public void setMaxQueued(int maxQueued) {
    this.maxQueued = maxQueued;
  }

  public String getDispatcherGroupId() {
    return dispatcherGroupId;
  }

  public void setDispatcherGroupId(String dispatcherGroupId) {
    this.dispatcherGroupId = dispatcherGroupId;
  }

  public int getResponseExcerptBytes() {
    return responseExcerptBytes;
  }

  public void setResponseExcerptBytes(int responseExcerptBytes) {
    this.responseExcerptBytes = responseExcerptBytes;
  }

  public Duration getCommitInterval() {
    return commitInterval;
  }

  public void setCommitInterval(Duration commitInterval) {
    this.commitInterval = commitInterval;
  }

  public boolean isAllowPrivateTargets() {
    return allowPrivateTargets;
  }

  public void setAllowPrivateTargets(boolean allowPrivateTargets) {
    this.allowPrivateTargets = allowPrivateTargets;
  }

  public int getBreakerFailureThreshold() {
    return breakerFailureThreshold;
  }

  public void setBreakerFailureThreshold(int breakerFailureThreshold) {
    this.breakerFailureThreshold = breakerFailureThreshold;
  }

  public Duration getBreakerOpenDuration() {
    return breakerOpenDuration;
  }

  public void setBreakerOpenDuration(Duration breakerOpenDuration) {
    this.breakerOpenDuration = breakerOpenDuration;
  }

  /** The longest pause a receiver may ask for with Retry-After (HOOKLINE_MAX_RETRY_AFTER). */
  public Duration getMaxRetryAfter() {
    return maxRetryAfter;
  }

  public void setMaxRetryAfter(Duration maxRetryAfter) {
    this.maxRetryAfter = maxRetryAfter;
  }

  /**
   * How long the delivery path may run on synthetic events before the dispatcher joins its
   * consumer group, so that it is compiled when the first events come (HOOKLINE_DISPATCHER_WARM_UP;
   * 0s: off).
   */
  public Duration getDispatcherWarmUp() {
    return dispatcherWarmUp;
  }

  public void setDispatcherWarmUp(Duration dispatcherWarmUp) {
    this.dispatcherWarmUp = dispatcherWarmUp;
  }

  public int getMaxQueuedPerWebhook() {
    return maxQueuedPerWebhook;
  }

  public void setMaxQueuedPerWebhook(int maxQueuedPerWebhook) {
    this.maxQueuedPerWebhook = maxQueuedPerWebhook;
  }

  /** Base64 AES-256 key decrypting signing secrets (HOOKLINE_SECRETS_KEY); null when unset. */
  public String getSecretsKey() {
    return secretsKey;
  }

  public void setSecretsKey(String secretsKey) {
    this.secretsKey = secretsKey;
  }

  /** Comma-separated base64 keys that still decrypt secrets after a key rotation (HOOKLINE_SECRETS_PREVIOUS_KEYS). */
  public String getSecretsPreviousKeys() {
    return secretsPreviousKeys;
  }

  public void setSecretsPreviousKeys(String secretsPreviousKeys) {
    this.secretsPreviousKeys = secretsPreviousKeys;
  }

  /** Port of /metrics, /health/liveness and /health/readiness (0: any free port). */
  public int getManagementPort() {
    return managementPort;
  }

  public void setManagementPort(int managementPort) {
    this.managementPort = ConfigurationChecks.port("management-port", managementPort);
  }
}
