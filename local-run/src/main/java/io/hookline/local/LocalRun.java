package io.hookline.local;

import io.hookline.schemas.TopicSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one-command local run: a real Kafka broker and every Hookline service, each its own JVM, on
 * this machine, with no Docker. Started by {@code ./run-local}.
 *
 * <p>Guarantees: it prints {@value #READY_LINE} (then a banner with the API URL, the broker
 * address, a dev token, the metrics and probe URLs and examples) only once the broker answers and
 * every service's {@code GET /health/readiness} answers 200: the query API's on its HTTP port, the
 * dispatcher's and the retry-scheduler's on their management ports (the two ports after the HTTP
 * port, 8081 and 8082 by default; free ports when the HTTP port is 0). Ctrl-C or SIGTERM stops the
 * services (SIGTERM, SIGKILL after 10 s), then the broker, then exits. If any child dies on its own,
 * everything is stopped and the run exits 1, naming the child and the end of its log. Children exit
 * by themselves if this process is killed ({@link ExitWithParent}). Data, logs and the dev token
 * stay in the data folder between runs.
 */
public final class LocalRun {

  /** Printed on stdout once everything is up: what a script or a test waits for. */
  public static final String READY_LINE = "Hookline is up";

  /** The services, in start order: name (for logs) and main class. */
  static final List<Map.Entry<String, String>> SERVICES = List.of(
          Map.entry("dispatcher", "io.hookline.dispatcher.DispatcherApplication"),
          Map.entry("retry-scheduler", "io.hookline.retryscheduler.RetrySchedulerApplication"),
          Map.entry("query-api", "io.hookline.queryapi.QueryApiApplication"));

  /** The services with a management port of their own (HOOKLINE_MANAGEMENT_PORT), in order. */
  static final List<String> MANAGED = List.of("dispatcher", "retry-scheduler");

  /**
   * For the launcher's own tests: {@code name=main.Class,name=main.Class} replaces {@link #SERVICES}
   * (the last one serving {@code /health/readiness} on the HTTP port): stand-in services, real signals.
   */
  static final String SERVICES_PROPERTY = "hookline.local.services";

  private static final Duration HEALTH_POLL = Duration.ofMillis(250);

  private final LocalRunSettings settings;
  private final Map<String, String> callerEnv;
  private final PrintStream out;
  private final PrintStream err;
  private final List<Map.Entry<String, String>> serviceMains;
  private final List<ServiceProcess> services = new ArrayList<>();
  private final Map<ServiceProcess, String> serviceNames = new ConcurrentHashMap<>();
  private LocalKafka kafka;
  private volatile boolean stopping;
  private boolean stopped;

  LocalRun(LocalRunSettings settings, Map<String, String> callerEnv) {
    this(settings, callerEnv, System.out, System.err, servicesFrom(System.getProperty(SERVICES_PROPERTY)));
  }

  /** With other main classes in place of the services (the last one serves {@code /health}). */
  LocalRun(
      LocalRunSettings settings,
      Map<String, String> callerEnv,
      PrintStream out,
      PrintStream err,
      List<Map.Entry<String, String>> serviceMains) {
    this.settings = settings;
    this.callerEnv = callerEnv;
    this.out = out;
    this.err = err;
    this.serviceMains = List.copyOf(serviceMains);
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/hookline/local/launcher-logback.xml");
    }
    List<String> arguments = new ArrayList<>(List.of(args));
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(LocalRunSettings.USAGE);
      return;
    }
    boolean printToken = arguments.remove("--print-token");
    LocalRunSettings settings;
    try {
      settings = LocalRunSettings.parse(arguments.toArray(String[]::new), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("run-local: " + e.getMessage());
      System.err.print(LocalRunSettings.USAGE);
      System.exit(2);
      return;
    }
    if (printToken) {
      printToken(settings);
      return;
    }
    LocalRun run = new LocalRun(settings, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(run::stop, "hookline-local-stop"));
    System.exit(run.runUntilStoppedOrFailed());
  }

  static List<Map.Entry<String, String>> servicesFrom(String property) {
    if (property == null || property.isBlank()) {
      return SERVICES;
    }
    List<Map.Entry<String, String>> services = new ArrayList<>();
    for (String service : property.split(",")) {
      String[] nameAndMain = service.trim().split("=", 2);
      if (nameAndMain.length != 2) {
        throw new IllegalArgumentException(SERVICES_PROPERTY + ": expected name=main.Class, got '" + service + "'");
      }
      services.add(Map.entry(nameAndMain[0], nameAndMain[1]));
    }
    return List.copyOf(services);
  }

  /**
   * Prints a dev token for HOOKLINE_JWT_SECRET (else the local run's own secret) and the portal,
   * without starting anything: for docker compose, or a fresh token for a running local run.
   */
  private static void printToken(LocalRunSettings settings) {
    try {
      String secret = DevToken.secret(System.getenv("HOOKLINE_JWT_SECRET"), settings.dataDir());
      System.out.println(DevToken.issue(secret, settings.portal(), Instant.now()));
    } catch (IOException e) {
      System.err.println("run-local: could not read or write the secret in " + settings.dataDir() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Starts everything, prints the banner, then waits. Returns 0 when stopped by a signal (the
   * shutdown hook does the stopping), 1 when something failed or a child died on its own.
   */
  int runUntilStoppedOrFailed() {
    CompletableFuture<Object> anyChildExit;
    try {
      anyChildExit = startAll();
    } catch (StartupFailure | IOException | RuntimeException e) {
      if (stopping) {
        return 0;
      }
      err.println();
      err.println("Hookline did not start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      err.println("Logs: " + display(settings.logDir()));
      err.flush();
      return 1;
    }
    Object exited = anyChildExit.join();
    if (stopping) {
      return 0;
    }
    err.println();
    err.println(describeExit(exited));
    err.println("Stopping everything else.");
    err.flush();
    return 1;
  }

  private CompletableFuture<Object> startAll() throws StartupFailure, IOException {
    Files.createDirectories(settings.logDir());
    int kafkaPort = portOrFree(settings.kafkaPort(), "HOOKLINE_LOCAL_KAFKA_PORT or --kafka-port");
    int httpPort = portOrFree(settings.httpPort(), "HOOKLINE_HTTP_PORT or --http-port");
    Map<String, Integer> managementPorts = new HashMap<>();
    for (int i = 0; i < MANAGED.size(); i++) {
      managementPorts.put(MANAGED.get(i), portOrFree(settings.httpPort() == 0 ? 0 : httpPort + 1 + i,
          "HOOKLINE_HTTP_PORT or --http-port (the " + MANAGED.get(i) + " uses the HTTP port + " + (1 + i) + ")"));
    }

    Path kafkaLog = settings.logDir().resolve("kafka.log");
    out.println("Starting Kafka (KRaft) on 127.0.0.1:" + kafkaPort + "  (log: " + display(kafkaLog) + ")");
    register(LocalKafka.start(settings.kafkaDir(), kafkaPort, kafkaLog, LocalKafka.DEFAULT_READY_TIMEOUT));

    String secret = DevToken.secret(callerEnv.get("HOOKLINE_JWT_SECRET"), settings.dataDir());
    String secretsKey = DevToken.secretsKey(callerEnv.get("HOOKLINE_SECRETS_KEY"), settings.dataDir());
    String token = DevToken.issue(secret, settings.portal(), Instant.now());
    Path tokenFile = settings.dataDir().resolve("dev-token");
    Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);

    Map<String, String> env = new HashMap<>();
    env.put("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("HOOKLINE_HTTP_PORT", Integer.toString(httpPort));
    env.put("HOOKLINE_JWT_SECRET", secret);
    env.put("HOOKLINE_SECRETS_KEY", secretsKey);
    // The query API's Kafka Streams state (RocksDB) stays with the rest of the local data.
    env.put("HOOKLINE_STATE_DIR", callerEnv.getOrDefault("HOOKLINE_STATE_DIR",
        settings.dataDir().resolve("state").toAbsolutePath().toString()));
    env.put("HOOKLINE_ALLOW_PRIVATE_TARGETS", callerEnv.getOrDefault("HOOKLINE_ALLOW_PRIVATE_TARGETS", "true"));
    if (settings.schemaRegistry()) { // on the HTTP port + 5
      int registryPort = portOrFree(settings.httpPort() == 0 ? 0 : httpPort + 5, "HOOKLINE_HTTP_PORT or --http-port");
      ServiceProcess registry = LocalSchemaRegistry.startForLocalRun(settings, registryPort, out);
      serviceNames.put(registry, "schema-registry");
      register(registry);
      env.put(LocalSchemaRegistry.URL_VARIABLE, LocalSchemaRegistry.url(registryPort));
    }
    out.println("Java: " + ServiceJdk.find(callerEnv).into(env).note()); // the services' JDK, said in one line
    env.put(ClassDataArchive.CACHE_VARIABLE, ClassDataArchive.folderFor(callerEnv, settings.dataDir()));
    Map<String, URI> readiness = new java.util.LinkedHashMap<>();
    List<String> monitoring = new ArrayList<>();
    for (int i = 0; i < serviceMains.size(); i++) {
      Map.Entry<String, String> service = serviceMains.get(i);
      Path log = settings.logDir().resolve(service.getKey() + ".log");
      out.println("Starting " + service.getKey() + "  (log: " + display(log) + ")");
      Map<String, String> serviceEnv = new HashMap<>(env);
      // Static membership: a service started again after a crash takes its partitions back at once.
      serviceEnv.put("HOOKLINE_INSTANCE_ID", callerEnv.getOrDefault("HOOKLINE_INSTANCE_ID", "local-" + service.getKey()));
      Integer managementPort = managementPorts.get(service.getKey());
      String base = null;
      if (managementPort != null) {
        serviceEnv.put("HOOKLINE_MANAGEMENT_PORT", Integer.toString(managementPort));
        base = "http://127.0.0.1:" + managementPort;
      } else if (i == serviceMains.size() - 1) {
        base = "http://127.0.0.1:" + httpPort;
      }
      if (base != null) {
        readiness.put(service.getKey(), URI.create(base + "/health/readiness"));
        monitoring.add(base + "/metrics   (" + service.getKey() + ")");
      }
      ServiceProcess started = ServiceProcess.start(service.getValue(), serviceEnv, log);
      serviceNames.put(started, service.getKey());
      register(started);
    }

    CompletableFuture<Object> anyChildExit = anyChildExit();
    Instant deadline = Instant.now().plus(settings.readyTimeout());
    for (Map.Entry<String, URI> probe : readiness.entrySet()) {
      awaitReady(probe.getKey(), probe.getValue(), deadline, anyChildExit);
    }
    List<String> logNames = new ArrayList<>(List.of("kafka"));
    serviceMains.forEach(service -> logNames.add(service.getKey()));
    // One write: whoever sees the ready line sees the whole banner.
    out.print(
        ReadyBanner.text(
            settings, callerEnv.getOrDefault("HOOKLINE_TOPIC_PREFIX", TopicSettings.DEFAULT_PREFIX),
            "http://127.0.0.1:" + httpPort, kafka.bootstrapServers(), tokenFile, token, logNames, monitoring));
    out.flush();
    // Once everything answers: the next start maps the classes this one loaded (one dump, in the background).
    services.forEach(ServiceProcess::archiveClasses);
    return anyChildExit;
  }

  /** Waits until {@code service} answers 200 at {@code health}, its readiness probe. */
  private void awaitReady(String service, URI health, Instant deadline, CompletableFuture<Object> anyChildExit)
      throws StartupFailure {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build();
    out.println("Waiting for " + health + " ...");
    while (true) {
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupFailure("interrupted while waiting for " + health);
      }
      if (Instant.now().isAfter(deadline)) {
        ServiceProcess waitedFor = services.stream().filter(s -> service.equals(serviceNames.get(s))).findFirst()
            .orElse(services.get(services.size() - 1));
        throw new StartupFailure(
            "GET " + health + " (" + service + ") did not answer 200 within " + settings.readyTimeout()
                + ". Last lines of " + display(waitedFor.logFile()) + ":\n    "
                + String.join("\n    ", waitedFor.logTail(40)));
      }
      try {
        // The poll interval doubles as the watch for a child that dies while starting.
        Object exited = anyChildExit.get(HEALTH_POLL.toMillis(), TimeUnit.MILLISECONDS);
        throw new StartupFailure(describeExit(exited));
      } catch (TimeoutException e) {
        // Everybody still running: poll again.
      } catch (ExecutionException e) {
        throw new StartupFailure("could not watch the child processes: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupFailure("interrupted while waiting for " + health);
      }
    }
  }

  /** Stops the services, then the broker. Idempotent; the shutdown hook and failures call it. */
  synchronized void stop() {
    stopping = true;
    if (stopped) {
      return;
    }
    stopped = true;
    if (services.isEmpty() && kafka == null) {
      return;
    }
    out.println();
    if (!services.isEmpty()) {
      out.println("Stopping the services ...");
      services.forEach(ServiceProcess::signalStop);
      Instant deadline = Instant.now().plus(ServiceProcess.DEFAULT_STOP_GRACE);
      for (ServiceProcess service : services) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (!service.awaitExit(left.isNegative() ? Duration.ZERO : left)) {
          out.println("  " + service + " did not stop within " + ServiceProcess.DEFAULT_STOP_GRACE + "; killing it");
          service.kill();
        }
      }
    }
    if (kafka != null) {
      out.println("Stopping Kafka ...");
      if (!kafka.stop()) {
        out.println("  Kafka did not stop within " + LocalKafka.DEFAULT_STOP_GRACE + "; killed it");
      }
    }
    out.println("Stopped.");
    out.flush();
  }

  synchronized List<ServiceProcess> services() {
    return List.copyOf(services);
  }

  synchronized LocalKafka kafka() {
    return kafka;
  }

  private synchronized void register(LocalKafka started) throws StartupFailure {
    kafka = started;
    if (stopping) {
      started.stop();
      throw new StartupFailure("stopped while starting");
    }
  }

  private synchronized void register(ServiceProcess started) throws StartupFailure {
    services.add(started);
    if (stopping) {
      started.stop();
      throw new StartupFailure("stopped while starting");
    }
  }

  private synchronized CompletableFuture<Object> anyChildExit() {
    List<CompletableFuture<?>> exits = new ArrayList<>();
    exits.add(kafka.onExit());
    services.forEach(service -> exits.add(service.onExit()));
    return CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new));
  }

  private String describeExit(Object exited) {
    if (exited instanceof ServiceProcess service) {
      return serviceNames.getOrDefault(service, "a service") + ": " + service.describeUnexpectedExit();
    }
    if (exited instanceof LocalKafka broker) {
      return "Kafka: " + broker.describeUnexpectedExit();
    }
    return "a child process exited unexpectedly: " + exited;
  }

  private static int portOrFree(int port, String setting) throws IOException, StartupFailure {
    if (port == 0) {
      return LocalKafka.freePort();
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return port;
    } catch (IOException e) {
      throw new StartupFailure(
          "port " + port + " on 127.0.0.1 is already in use (another run-local, Kafka or server?). "
              + "Stop it, or choose another port with " + setting + ".");
    }
  }

  /** A path as people would type it: relative to the working folder when inside it. */
  static String display(Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  /** Startup could not complete; the message says why, for people. */
  static final class StartupFailure extends Exception {
    StartupFailure(String message) {
      super(message);
    }
  }
}
