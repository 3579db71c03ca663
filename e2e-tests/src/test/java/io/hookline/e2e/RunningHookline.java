package io.hookline.e2e;

import io.hookline.local.DevToken;
import io.hookline.local.ServiceProcess;
import io.hookline.runtime.TopicProvisioner;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.Folders;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;

/**
 * Hookline as users run it: the dispatcher, the retry-scheduler and the query API, each its own
 * JVM with its own classpath, configured only through {@code HOOKLINE_*} variables, against the
 * test's real broker. Services can be killed with SIGKILL and started again.
 */
final class RunningHookline implements AutoCloseable {

  static final String DISPATCHER = "io.hookline.dispatcher.DispatcherApplication";
  static final String SCHEDULER = "io.hookline.retryscheduler.RetrySchedulerApplication";
  static final String QUERY_API = "io.hookline.queryapi.QueryApiApplication";
  static final int PARTITIONS = 3;

  private final Map<String, String> env;
  private final Path logDir;
  private final HooklineTopics topics;
  private final int httpPort;
  /** The management ports (metrics, probes) of the dispatcher and the retry-scheduler, kept across restarts. */
  private final Map<String, Integer> managementPorts = new HashMap<>();
  private final String jwtSecret;
  private final String instanceId;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ServiceProcess dispatcher;
  private ServiceProcess scheduler;
  private ServiceProcess queryApi;
  private final Path stateDir;
  private int restarts;
  /** When each service's current process was started. */
  private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
  /** Query-api instances started beside the first one ({@link #startQueryApiReplica}). */
  private final List<QueryApiReplica> replicas = new ArrayList<>();
  /** Dispatcher instances started beside the first one ({@link #startDispatcherReplica}). */
  private final List<ServiceProcess> dispatcherReplicas = new ArrayList<>();

  private RunningHookline(String bootstrapServers, String retryDelays, Path logDir, Map<String, String> extra)
      throws IOException {
    this.logDir = logDir;
    String prefix = KafkaBroker.uniquePrefix();
    String id = prefix.substring(0, prefix.indexOf('.'));
    this.instanceId = id;
    this.httpPort = freePort();
    managementPorts.put(DISPATCHER, freePort());
    managementPorts.put(SCHEDULER, freePort());
    this.jwtSecret = randomSecret();
    this.topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(PARTITIONS),
        RetrySchedule.parse(retryDelays));
    env = new HashMap<>();
    env.put("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    env.put("HOOKLINE_TOPIC_PREFIX", prefix);
    env.put("HOOKLINE_TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
    env.put("HOOKLINE_RETRY_DELAYS", retryDelays);
    env.put("HOOKLINE_HTTP_PORT", Integer.toString(httpPort));
    env.put("HOOKLINE_ALLOW_PRIVATE_TARGETS", "true");
    // Parked executions (breaker open) come back after this; the 30s default would outlast the tests.
    env.put("HOOKLINE_BREAKER_OPEN_DURATION", "2s");
    env.put("HOOKLINE_DISPATCHER_GROUP_ID", id + "-dispatcher");
    // The tests measure no latency and start many dispatchers: no start-up warm-up (C1 only here anyway).
    env.put("HOOKLINE_DISPATCHER_WARM_UP", "0s");
    env.put("HOOKLINE_SCHEDULER_GROUP_ID", id + "-scheduler");
    env.put("HOOKLINE_SCHEDULER_TRANSACTIONAL_ID", id + "-scheduler");
    env.put("HOOKLINE_QUERY_APPLICATION_ID", id + "-query");
    this.stateDir = Files.createTempDirectory("hookline-state-");
    env.put("HOOKLINE_STATE_DIR", stateDir.toString());
    env.put("HOOKLINE_JWT_SECRET", jwtSecret);
    env.put("HOOKLINE_SECRETS_KEY", Base64.getEncoder().encodeToString(randomBytes(32)));
    env.put("HOOKLINE_LOCAL_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    // One class-data archive per service and build, shared by every test class of the run (see ClassDataArchive).
    env.put("HOOKLINE_LOCAL_CLASS_CACHE", Path.of("target", "class-cache").toAbsolutePath().toString());
    env.putAll(extra);
  }

  /** Starts all three services and waits until the API is healthy. */
  static RunningHookline start(KafkaBroker broker, String retryDelays, Path logDir, Map<String, String> extra)
      throws IOException {
    RunningHookline h = new RunningHookline(broker.bootstrapServers(), retryDelays, logDir, extra);
    broker.createTopics(h.topics);
    return h.startAll();
  }

  /**
   * Starts all three services against the broker at {@code bootstrapServers} (one the test runs
   * itself, e.g. a {@code LocalKafka} it stops and starts), after creating the topics there.
   */
  static RunningHookline start(String bootstrapServers, String retryDelays, Path logDir, Map<String, String> extra)
      throws IOException {
    RunningHookline h = new RunningHookline(bootstrapServers, retryDelays, logDir, extra);
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      TopicProvisioner.ensureTopics(admin, h.topics, Duration.ofSeconds(30));
    }
    return h.startAll();
  }

  private RunningHookline startAll() {
    queryApi = startService(QUERY_API);
    dispatcher = startService(DISPATCHER);
    scheduler = startService(SCHEDULER);
    try {
      // Generous: on a machine under heavy load the query API alone took 80 s to start.
      awaitHealthy(Duration.ofSeconds(180));
      for (ServiceProcess service : new ServiceProcess[] {queryApi, dispatcher, scheduler}) {
        service.archiveClasses();
      }
    } catch (RuntimeException e) {
      close(); // nobody else will: the caller never gets this instance
      throw e;
    }
    return this;
  }

  /**
   * Starts all three services against a replicated cluster, as {@link #start} does against one
   * broker: every topic, Hookline's and Kafka Streams', with {@code replicationFactor} replicas and
   * {@code minIsr} of them in sync ({@code HOOKLINE_TOPIC_REPLICATION_FACTOR},
   * {@code HOOKLINE_TOPIC_MIN_ISR}).
   */
  static RunningHookline startReplicated(KafkaCluster cluster, short replicationFactor, short minIsr,
      String retryDelays, Path logDir, Map<String, String> extra) throws IOException {
    Map<String, String> replicated = new HashMap<>(extra);
    replicated.put("HOOKLINE_TOPIC_REPLICATION_FACTOR", Short.toString(replicationFactor));
    replicated.put("HOOKLINE_TOPIC_MIN_ISR", Short.toString(minIsr));
    RunningHookline h = new RunningHookline(cluster.asBroker().bootstrapServers(), retryDelays, logDir, replicated);
    cluster.createTopics(new HooklineTopics(h.topics.settings().withReplication(replicationFactor, minIsr), h.topics.schedule()));
    return h.startAll();
  }

  private ServiceProcess startService(String mainClass) {
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    Map<String, String> serviceEnv = new HashMap<>(env);
    // Static membership: one id per service, kept across its restarts (so a restart resumes at once).
    serviceEnv.putIfAbsent("HOOKLINE_INSTANCE_ID", instanceId + "-" + name);
    startedAt.put(mainClass, Instant.now());
    if (managementPorts.containsKey(mainClass)) {
      serviceEnv.put("HOOKLINE_MANAGEMENT_PORT", Integer.toString(managementPorts.get(mainClass)));
    }
    return ServiceProcess.start(mainClass, serviceEnv, logDir.resolve(name + "-" + (restarts++) + ".log"));
  }

  void awaitHealthy(Duration timeout) {
    Awaitility.await("query API healthy").atMost(timeout).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> {
          assertAlive();
          return http.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/health")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
  }

  /** Waits until every service answers 200 on {@code /health/readiness}. */
  void awaitReady(Duration timeout) {
    for (String service : new String[] {QUERY_API, DISPATCHER, SCHEDULER}) {
      URI readiness = URI.create(monitoringUrl(service) + "/health/readiness");
      Awaitility.await(service + " ready").atMost(timeout).pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> {
            assertAlive();
            return http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
          });
    }
  }

  /**
   * How long a service's current process took to be ready: from its start, and from the moment
   * its readiness probe first said it waits for its consumer group (the dispatcher's and the
   * retry-scheduler's "waiting for the consumer group's assignment", the query API's views
   * {@code REBALANCING}) to the first 200: the rejoin, without the JVM's start-up and the loading
   * before it. Zero when the probe was never seen waiting.
   */
  record Readiness(Duration fromStart, Duration fromJoining) {}

  /**
   * Waits until {@code service} (a main class) answers 200 on {@code /health/readiness}: for the
   * dispatcher and the retry-scheduler, its consumer group gave it its partitions; for the query
   * API, its views run and every store it owns can be read.
   */
  Readiness awaitServiceReady(String service, Duration timeout) {
    URI readiness = URI.create(monitoringUrl(service) + "/health/readiness");
    Instant[] joining = new Instant[1];
    Awaitility.await(service + " ready").atMost(timeout).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> {
          assertAlive();
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(readiness).build(),
              HttpResponse.BodyHandlers.ofString());
          boolean waiting = answer.body().contains("assignment") || answer.body().contains("REBALANCING");
          if (joining[0] == null && answer.statusCode() != 200 && waiting) {
            joining[0] = Instant.now();
          }
          return answer.statusCode() == 200;
        });
    Instant ready = Instant.now();
    return new Readiness(Duration.between(startedAt.get(service), ready),
        joining[0] == null ? Duration.ZERO : Duration.between(joining[0], ready));
  }

  void killQueryApi() {
    queryApi.kill();
  }

  void startQueryApi() {
    queryApi = startService(QUERY_API);
  }

  /**
   * Where {@code service} (a main class) serves /metrics and its probes: the API's HTTP port, or the
   * service's management port.
   */
  String monitoringUrl(String service) {
    return service.equals(QUERY_API) ? apiUrl() : "http://127.0.0.1:" + managementPorts.get(service);
  }

  /** GET {@code path} of {@code service}'s monitoring routes, without a token. */
  HttpResponse<String> monitoring(String service, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(monitoringUrl(service) + path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private void assertAlive() {
    for (ServiceProcess p : new ServiceProcess[] {dispatcher, scheduler, queryApi}) {
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException(p.name() + " died: " + String.join("\n", p.logTail(40)));
      }
    }
  }

  /** SIGKILL, as a crash would. */
  void killDispatcher() {
    dispatcher.kill();
  }

  void killScheduler() {
    scheduler.kill();
  }

  void startDispatcher() {
    dispatcher = startService(DISPATCHER);
  }

  void startScheduler() {
    scheduler = startService(SCHEDULER);
  }

  ServiceProcess dispatcher() {
    return dispatcher;
  }

  ServiceProcess scheduler() {
    return scheduler;
  }

  ServiceProcess queryApi() {
    return queryApi;
  }

  String dispatcherGroupId() {
    return instanceId + "-dispatcher";
  }

  /** The query API's Kafka Streams application id, the prefix of its changelog and repartition topics. */
  String queryApplicationId() {
    return groupId(QUERY_API);
  }

  /** The consumer group of {@code service} (a main class); the query API's is its Kafka Streams application id. */
  String groupId(String service) {
    return env.get(switch (service) {
      case DISPATCHER -> "HOOKLINE_DISPATCHER_GROUP_ID";
      case SCHEDULER -> "HOOKLINE_SCHEDULER_GROUP_ID";
      default -> "HOOKLINE_QUERY_APPLICATION_ID";
    });
  }

  /** SIGTERM to {@code service} (a main class), as an orchestrator stops it; returns once it exited. */
  boolean stop(String service) {
    return switch (service) {
      case DISPATCHER -> dispatcher.stop();
      case SCHEDULER -> scheduler.stop();
      default -> queryApi.stop();
    };
  }

  HooklineTopics topics() {
    return topics;
  }

  String apiUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** A bearer token for {@code portal} with every webhook scope. */
  String token(String portal) {
    return DevToken.issue(jwtSecret, portal, Instant.now());
  }

  HttpResponse<String> api(String method, String path, String portal, String jsonBody) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token(portal));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Starts one more query-api instance of this deployment, as an operator scales the API out: the
   * same environment (application id, tokens, secrets key), its own HTTP port (so its own advertised
   * address) and its own state folder. Does not wait for it; see {@link QueryApiReplica#health()}.
   */
  QueryApiReplica startQueryApiReplica() throws IOException {
    QueryApiReplica replica = new QueryApiReplica(replicas.size() + 1, freePort(),
        Files.createTempDirectory("hookline-state-"));
    replicas.add(replica);
    replica.start();
    return replica;
  }

  /**
   * Starts one more dispatcher instance of this deployment, as an operator scales the dispatcher
   * out: the same environment and consumer group, its own instance id and management port. Returns
   * once its readiness probe says the group gave it its partitions.
   */
  ServiceProcess startDispatcherReplica(Duration timeout) throws IOException {
    int number = dispatcherReplicas.size() + 2;
    int port = freePort();
    Map<String, String> replicaEnv = new HashMap<>(env);
    replicaEnv.put("HOOKLINE_INSTANCE_ID", instanceId + "-dispatcher-" + number);
    replicaEnv.put("HOOKLINE_MANAGEMENT_PORT", Integer.toString(port));
    ServiceProcess process = ServiceProcess.start(DISPATCHER, replicaEnv,
        logDir.resolve("DispatcherApplication-replica" + number + "-" + (restarts++) + ".log"));
    dispatcherReplicas.add(process);
    URI readiness = URI.create("http://127.0.0.1:" + port + "/health/readiness");
    Awaitility.await("dispatcher " + number + " ready").atMost(timeout).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(process.name() + " died: " + String.join("\n", process.logTail(40)));
          }
          return http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200;
        });
    return process;
  }

  /** A query-api instance started by {@link #startQueryApiReplica}; it keeps its port and state folder across restarts. */
  final class QueryApiReplica {

    private final int number;
    private final int httpPort;
    private final Path stateDir;
    private ServiceProcess process;

    private QueryApiReplica(int number, int httpPort, Path stateDir) {
      this.number = number;
      this.httpPort = httpPort;
      this.stateDir = stateDir;
    }

    /** Starts it (again, after {@link #kill}) on its port and state folder. */
    void start() {
      Map<String, String> replicaEnv = new HashMap<>(env);
      replicaEnv.put("HOOKLINE_HTTP_PORT", Integer.toString(httpPort));
      replicaEnv.put("HOOKLINE_STATE_DIR", stateDir.toString());
      process = ServiceProcess.start(QUERY_API, replicaEnv,
          logDir.resolve("QueryApiApplication-replica" + number + "-" + (restarts++) + ".log"));
    }

    /** SIGKILL, as a crash would. */
    void kill() {
      process.kill();
    }

    String apiUrl() {
      return "http://127.0.0.1:" + httpPort;
    }

    ServiceProcess process() {
      return process;
    }

    /** GET /health of this instance (no token), or an exception when it does not answer within 5 s. */
    HttpResponse<String> health() throws IOException, InterruptedException {
      return http.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    private void close() {
      if (process != null) {
        process.stop();
      }
      Folders.deleteRecursively(stateDir);
    }
  }

  @Override
  public void close() {
    replicas.forEach(QueryApiReplica::close);
    dispatcherReplicas.forEach(ServiceProcess::stop);
    for (ServiceProcess p : new ServiceProcess[] {dispatcher, scheduler, queryApi}) {
      if (p != null) {
        p.stop();
      }
    }
    // The query API's RocksDB state, which would otherwise stay in the temp folder after every run.
    Folders.deleteRecursively(stateDir);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String randomSecret() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  static Path logDir(String testName) throws IOException {
    Path dir = Path.of("target", "e2e-logs", testName);
    Files.createDirectories(dir);
    return dir;
  }
}
