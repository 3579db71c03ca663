package io.hookline.queryapi.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The query API's configuration, bound from the {@code hookline} keys of application.yml; every key
 * can be overridden by its {@code HOOKLINE_*} environment variable (HOOKLINE_HTTP_PORT sets
 * {@code hookline.http-port}). The keys every service shares are bound by {@code
 * HooklineConfiguration}.
 */
@ConfigurationProperties("hookline")
public class QueryApiConfiguration {

  private int httpPort = 8080;
  private Duration secretGrace = Duration.ofHours(24);
  private Duration writeTimeout = Duration.ofSeconds(10);
  private String jwtSecret;
  private String jwtJwksUrl;
  private String jwtIssuer;
  private String jwtAudience;
  private String secretsKey;
  private String secretsPreviousKeys;
  private String queryApplicationId = "hookline-query-api";
  private String stateDir = ".hookline-state/query-api";
  private Duration failedRetention = Duration.ofDays(30);
  private Duration statsRetention = Duration.ofDays(7);
  private String queryAdvertisedUrl;
  private int queryStandbyReplicas = 1;
  private Duration querySessionTimeout = Duration.ofSeconds(45);

  public int getHttpPort() {
    return httpPort;
  }

  public void setHttpPort(int httpPort) {
    this.httpPort = httpPort;
  }

  /** How long the previous signing secret keeps signing after a rotation. */
  public Duration getSecretGrace() {
    return secretGrace;
  }

  public void setSecretGrace(Duration secretGrace) {
    this.secretGrace = notNegative("secret-grace", secretGrace);
  }

  /** How long a write may take, from sending the record to seeing it applied. */
  public Duration getWriteTimeout() {
    return writeTimeout;
  }

  public void setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = positive("write-timeout", writeTimeout);
  }

  /** HS256 key of bearer tokens, used as its UTF-8 bytes (HOOKLINE_JWT_SECRET); null when unset. */
  public String getJwtSecret() {
    return jwtSecret;
  }

  public void setJwtSecret(String jwtSecret) {
    this.jwtSecret = jwtSecret;
  }

  /** JWKS URL of an OAuth server whose tokens are accepted (HOOKLINE_JWT_JWKS_URL); null when unset. */
  public String getJwtJwksUrl() {
    return jwtJwksUrl;
  }

  public void setJwtJwksUrl(String jwtJwksUrl) {
    this.jwtJwksUrl = jwtJwksUrl;
  }

  /** The {@code iss} every bearer token must carry (HOOKLINE_JWT_ISSUER); null when not checked. */
  public String getJwtIssuer() {
    return jwtIssuer;
  }

  public void setJwtIssuer(String jwtIssuer) {
    this.jwtIssuer = jwtIssuer;
  }

  /** A value the {@code aud} of every bearer token must contain (HOOKLINE_JWT_AUDIENCE); null when not checked. */
  public String getJwtAudience() {
    return jwtAudience;
  }

  public void setJwtAudience(String jwtAudience) {
    this.jwtAudience = jwtAudience;
  }

  /** Base64 AES-256 key encrypting signing secrets at rest (HOOKLINE_SECRETS_KEY); null when unset. */
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

  /** Kafka Streams application.id of the failed-executions view (HOOKLINE_QUERY_APPLICATION_ID). */
  public String getQueryApplicationId() {
    return queryApplicationId;
  }

  public void setQueryApplicationId(String queryApplicationId) {
    this.queryApplicationId = queryApplicationId;
  }

  /** Folder of the Kafka Streams state stores (HOOKLINE_STATE_DIR), relative to the working dir. */
  public String getStateDir() {
    return stateDir;
  }

  public void setStateDir(String stateDir) {
    this.stateDir = stateDir;
  }

  /** How long a failed execution stays in the view after its last attempt (HOOKLINE_FAILED_RETENTION). */
  public Duration getFailedRetention() {
    return failedRetention;
  }

  public void setFailedRetention(Duration failedRetention) {
    this.failedRetention = positive("failed-retention", failedRetention);
  }

  /** How long the per-minute delivery statistics of a webhook are kept (HOOKLINE_STATS_RETENTION). */
  public Duration getStatsRetention() {
    return statsRetention;
  }

  public void setStatsRetention(Duration statsRetention) {
    if (statsRetention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("hookline.stats-retention must be at least 1h, was " + statsRetention);
    }
    this.statsRetention = statsRetention;
  }

  /**
   * "host:port" at which the other query-api instances reach this one's HTTP API
   * (HOOKLINE_QUERY_ADVERTISED_URL); Kafka Streams' {@code application.server}. Defaults to
   * {@code 127.0.0.1:<http-port>}, which only suits instances on one machine.
   */
  public String getQueryAdvertisedUrl() {
    return queryAdvertisedUrl == null || queryAdvertisedUrl.isBlank() ? "127.0.0.1:" + httpPort : queryAdvertisedUrl;
  }

  public void setQueryAdvertisedUrl(String queryAdvertisedUrl) {
    String value = queryAdvertisedUrl == null || queryAdvertisedUrl.isBlank() ? null : queryAdvertisedUrl.strip();
    if (value != null && !isHostAndPort(value)) {
      throw new IllegalArgumentException("hookline.query-advertised-url must be host:port (e.g. 10.0.3.7:8080), was '"
          + queryAdvertisedUrl + "'");
    }
    this.queryAdvertisedUrl = value;
  }

  private static boolean isHostAndPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 1 || value.contains("/") || value.chars().anyMatch(Character::isWhitespace)) {
      return false;
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      return port >= 1 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Standby copies of each store partition kept by other instances (HOOKLINE_QUERY_STANDBY_REPLICAS). */
  public int getQueryStandbyReplicas() {
    return queryStandbyReplicas;
  }

  public void setQueryStandbyReplicas(int queryStandbyReplicas) {
    if (queryStandbyReplicas < 0) {
      throw new IllegalArgumentException("hookline.query-standby-replicas must not be negative, was "
          + queryStandbyReplicas);
    }
    this.queryStandbyReplicas = queryStandbyReplicas;
  }

  /**
   * How long the group waits for a silent instance before moving its store partitions to the
   * others (HOOKLINE_QUERY_SESSION_TIMEOUT): the Kafka Streams consumers' {@code session.timeout.ms}.
   * Until then the others answer its partitions from their standbys, or with 503.
   */
  public Duration getQuerySessionTimeout() {
    return querySessionTimeout;
  }

  public void setQuerySessionTimeout(Duration querySessionTimeout) {
    this.querySessionTimeout = positive("query-session-timeout", querySessionTimeout);
  }

  private static Duration positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("hookline." + key + " must be positive, was " + value);
    }
    return value;
  }

  private static Duration notNegative(String key, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("hookline." + key + " must not be negative, was " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "QueryApiConfiguration[jwtSecret=" + (jwtSecret == null ? "unset" : "***") + ", jwtJwksUrl=" + jwtJwksUrl + ", jwtIssuer=" + jwtIssuer + ", jwtAudience=" + jwtAudience
        + ", secretsKey=" + (secretsKey == null ? "unset" : "***") + "]";
  }
}
