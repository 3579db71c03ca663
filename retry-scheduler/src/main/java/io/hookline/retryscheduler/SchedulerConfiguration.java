package io.hookline.retryscheduler;

import io.hookline.schemas.DurationText;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * The retry scheduler's configuration, bound from {@code hookline.*} (application.yml) and from
 * {@code HOOKLINE_*} environment variables ({@code HOOKLINE_SCHEDULER_GROUP_ID} sets
 * {@code hookline.scheduler-group-id}): the {@code scheduler-*} keys, the scheduler's own; the keys
 * every service shares are bound by {@code HooklineConfiguration}. Every value is checked when it is read, so
 * a bad value stops start-up with a message naming the key.
 */
@ConfigurationProperties("hookline")
public class SchedulerConfiguration {

  static final String DEFAULT_GROUP_ID = "hookline-retry-scheduler";
  static final String TRANSACTIONAL_ID_PREFIX = "hookline-retry-scheduler-";

  private String schedulerGroupId = DEFAULT_GROUP_ID;
  private String schedulerTransactionalId = "";
  private String schedulerMaxPollWait = "100ms";
  private String schedulerFetchMaxWait = "25ms";
  private String schedulerAbortBackoff = "500ms";
  private String schedulerMetricsLogInterval = "60s";
  private String schedulerStartupTimeout = "60s";
  private String schedulerTransactionTimeout = "10s";
  private int schedulerMaxPollRecords = 5_000;
  private int schedulerReadAheadRecords = 10_000;

  /**
   * The transactional id of this instance: the configured one, or {@code
   * hookline-retry-scheduler-<host name>} so that each host (each pod) has its own and a restarted
   * instance takes over, and fences, its predecessor.
   */
  public String transactionalId() {
    if (schedulerTransactionalId != null && !schedulerTransactionalId.isBlank()) {
      return schedulerTransactionalId.trim();
    }
    return TRANSACTIONAL_ID_PREFIX + hostName();
  }

  static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim().toLowerCase(Locale.ROOT);
    }
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "Cannot read the host name to derive a transactional id; set HOOKLINE_SCHEDULER_TRANSACTIONAL_ID", e);
    }
  }

  public Duration maxPollWait() {
    return positive("scheduler-max-poll-wait", schedulerMaxPollWait);
  }

  public Duration fetchMaxWait() {
    return positive("scheduler-fetch-max-wait", schedulerFetchMaxWait);
  }

  public Duration abortBackoff() {
    return duration("scheduler-abort-backoff", schedulerAbortBackoff);
  }

  public Duration metricsLogInterval() {
    return positive("scheduler-metrics-log-interval", schedulerMetricsLogInterval);
  }

  public Duration startupTimeout() {
    return positive("scheduler-startup-timeout", schedulerStartupTimeout);
  }

  public Duration transactionTimeout() {
    return positive("scheduler-transaction-timeout", schedulerTransactionTimeout);
  }

  /** The most records one poll returns: the most one transaction takes from one read. */
  public int maxPollRecords() {
    return atLeastOne("scheduler-max-poll-records", schedulerMaxPollRecords);
  }

  /**
   * How many records read but not due yet one partition may hold in memory before the scheduler
   * stops reading it: it holds fewer than this plus {@link #maxPollRecords()}.
   */
  public int readAheadRecords() {
    return atLeastOne("scheduler-read-ahead-records", schedulerReadAheadRecords);
  }

  private static int atLeastOne(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("hookline." + key + " must be at least 1, was " + value);
    }
    return value;
  }

  private static Duration positive(String key, String text) {
    Duration d = duration(key, text);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("hookline." + key + " must be positive, was '" + text + "'");
    }
    return d;
  }

  private static Duration duration(String key, String text) {
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hookline." + key + ": " + e.getMessage(), e);
    }
  }

  public String getSchedulerGroupId() {
    return schedulerGroupId;
  }

  public void setSchedulerGroupId(String schedulerGroupId) {
    this.schedulerGroupId = schedulerGroupId;
  }

  public String getSchedulerTransactionalId() {
    return schedulerTransactionalId;
  }

  public void setSchedulerTransactionalId(String schedulerTransactionalId) {
    this.schedulerTransactionalId = schedulerTransactionalId;
  }

  public String getSchedulerMaxPollWait() {
    return schedulerMaxPollWait;
  }

  public void setSchedulerMaxPollWait(String schedulerMaxPollWait) {
    this.schedulerMaxPollWait = schedulerMaxPollWait;
  }

  public String getSchedulerFetchMaxWait() {
    return schedulerFetchMaxWait;
  }

  public void setSchedulerFetchMaxWait(String schedulerFetchMaxWait) {
    this.schedulerFetchMaxWait = schedulerFetchMaxWait;
  }

  public String getSchedulerAbortBackoff() {
    return schedulerAbortBackoff;
  }

  public void setSchedulerAbortBackoff(String schedulerAbortBackoff) {
    this.schedulerAbortBackoff = schedulerAbortBackoff;
  }

  public String getSchedulerMetricsLogInterval() {
    return schedulerMetricsLogInterval;
  }

  public void setSchedulerMetricsLogInterval(String schedulerMetricsLogInterval) {
    this.schedulerMetricsLogInterval = schedulerMetricsLogInterval;
  }

  public String getSchedulerStartupTimeout() {
    return schedulerStartupTimeout;
  }

  public void setSchedulerStartupTimeout(String schedulerStartupTimeout) {
    this.schedulerStartupTimeout = schedulerStartupTimeout;
  }

  public String getSchedulerTransactionTimeout() {
    return schedulerTransactionTimeout;
  }

  public void setSchedulerTransactionTimeout(String schedulerTransactionTimeout) {
    this.schedulerTransactionTimeout = schedulerTransactionTimeout;
  }

  public int getSchedulerMaxPollRecords() {
    return schedulerMaxPollRecords;
  }

  public void setSchedulerMaxPollRecords(int schedulerMaxPollRecords) {
    this.schedulerMaxPollRecords = schedulerMaxPollRecords;
  }

  public int getSchedulerReadAheadRecords() {
    return schedulerReadAheadRecords;
  }

  public void setSchedulerReadAheadRecords(int schedulerReadAheadRecords) {
    this.schedulerReadAheadRecords = schedulerReadAheadRecords;
  }
}
