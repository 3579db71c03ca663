package io.hookline.retryscheduler;

import static io.hookline.runtime.ConfigurationChecks.atLeastOne;
import static io.hookline.runtime.ConfigurationChecks.port;
import static io.hookline.runtime.ConfigurationChecks.positive;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The retry scheduler's configuration, bound from {@code hookline.*} (application.yml) and from
 * {@code HOOKLINE_*} environment variables ({@code HOOKLINE_SCHEDULER_GROUP_ID} sets
 * {@code hookline.scheduler-group-id}): the {@code scheduler-*} keys, the scheduler's own; the keys
 * every service shares are bound by {@code HooklineConfiguration}. Durations are written as
 * {@code 100ms}, {@code 60s} or ISO 8601. Every value is checked as it is bound, so a bad value
 * stops start-up with a message naming the key.
 */
@ConfigurationProperties("hookline")
public class SchedulerConfiguration {

  static final String DEFAULT_GROUP_ID = "hookline-retry-scheduler";
  static final String TRANSACTIONAL_ID_PREFIX = "hookline-retry-scheduler-";

  private String schedulerGroupId = DEFAULT_GROUP_ID;
  private String schedulerTransactionalId = "";
  private Duration schedulerMaxPollWait = Duration.ofMillis(100);
  private Duration schedulerFetchMaxWait = Duration.ofMillis(25);
  private Duration schedulerAbortBackoff = Duration.ofMillis(500);
  private Duration schedulerMetricsLogInterval = Duration.ofSeconds(60);
  private Duration schedulerStartupTimeout = Duration.ofSeconds(60);
  private Duration schedulerTransactionTimeout = Duration.ofSeconds(10);
  private int schedulerMaxPollRecords = 5_000;
  private int schedulerReadAheadRecords = 10_000;
  private int managementPort = 8082;
  private Duration schedulerReleaseLead = Duration.ofSeconds(1);
  /** The dispatcher holds an early redelivery this long at most, so a longer lead would not be kept. */
  static final Duration MAX_RELEASE_LEAD = Duration.ofSeconds(5);

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

  /** Longest poll while nothing is due. */
  public Duration getSchedulerMaxPollWait() {
    return schedulerMaxPollWait;
  }

  public void setSchedulerMaxPollWait(Duration schedulerMaxPollWait) {
    this.schedulerMaxPollWait = positive("scheduler-max-poll-wait", schedulerMaxPollWait);
  }

  /** Longest time the broker holds a fetch that has no data. */
  public Duration getSchedulerFetchMaxWait() {
    return schedulerFetchMaxWait;
  }

  public void setSchedulerFetchMaxWait(Duration schedulerFetchMaxWait) {
    this.schedulerFetchMaxWait = positive("scheduler-fetch-max-wait", schedulerFetchMaxWait);
  }

  /** How long partitions wait after an aborted transaction before they are read again; zero for not at all. */
  public Duration getSchedulerAbortBackoff() {
    return schedulerAbortBackoff;
  }

  public void setSchedulerAbortBackoff(Duration schedulerAbortBackoff) {
    Objects.requireNonNull(schedulerAbortBackoff, "hookline.scheduler-abort-backoff");
    if (schedulerAbortBackoff.isNegative()) {
      throw new IllegalArgumentException("hookline.scheduler-abort-backoff must not be negative, was " + schedulerAbortBackoff);
    }
    this.schedulerAbortBackoff = schedulerAbortBackoff;
  }

  /** How often the lateness summary is logged. */
  public Duration getSchedulerMetricsLogInterval() {
    return schedulerMetricsLogInterval;
  }

  public void setSchedulerMetricsLogInterval(Duration schedulerMetricsLogInterval) {
    this.schedulerMetricsLogInterval = positive("scheduler-metrics-log-interval", schedulerMetricsLogInterval);
  }

  /** How long start-up waits for Kafka; also the producer's {@code max.block.ms}. */
  public Duration getSchedulerStartupTimeout() {
    return schedulerStartupTimeout;
  }

  public void setSchedulerStartupTimeout(Duration schedulerStartupTimeout) {
    this.schedulerStartupTimeout = positive("scheduler-startup-timeout", schedulerStartupTimeout);
  }

  /** How long the broker lets a transaction stay open before aborting it. */
  public Duration getSchedulerTransactionTimeout() {
    return schedulerTransactionTimeout;
  }

  public void setSchedulerTransactionTimeout(Duration schedulerTransactionTimeout) {
    this.schedulerTransactionTimeout = positive("scheduler-transaction-timeout", schedulerTransactionTimeout);
  }

  /** The most records one poll returns: the most one transaction takes from one read. */
  public int getSchedulerMaxPollRecords() {
    return schedulerMaxPollRecords;
  }

  public void setSchedulerMaxPollRecords(int schedulerMaxPollRecords) {
    this.schedulerMaxPollRecords = atLeastOne("scheduler-max-poll-records", schedulerMaxPollRecords);
  }

  /**
   * How many records read but not due yet one partition may hold in memory before the scheduler
   * stops reading it: it holds fewer than this plus {@link #getSchedulerMaxPollRecords()}.
   */
  public int getManagementPort() {
    return managementPort;
  }

  /** Port of /metrics, /health/liveness and /health/readiness (0: any free port). */
  public void setManagementPort(int managementPort) {
    this.managementPort = port("management-port", managementPort);
  }

  public int getSchedulerReadAheadRecords() {
    return schedulerReadAheadRecords;
  }

  public void setSchedulerReadAheadRecords(int schedulerReadAheadRecords) {
    this.schedulerReadAheadRecords = atLeastOne("scheduler-read-ahead-records", schedulerReadAheadRecords);
  }

  /** How long before its due time a retry is handed to the dispatcher, which holds it until then. */
  public Duration getSchedulerReleaseLead() {
    return schedulerReleaseLead;
  }

  public void setSchedulerReleaseLead(Duration schedulerReleaseLead) {
    Objects.requireNonNull(schedulerReleaseLead, "hookline.scheduler-release-lead");
    if (schedulerReleaseLead.isNegative() || schedulerReleaseLead.compareTo(MAX_RELEASE_LEAD) > 0) {
      throw new IllegalArgumentException("hookline.scheduler-release-lead must be between 0 and "
          + MAX_RELEASE_LEAD.toSeconds() + "s (the longest the dispatcher holds an early redelivery), was "
          + schedulerReleaseLead);
    }
    this.schedulerReleaseLead = schedulerReleaseLead;
  }
}
