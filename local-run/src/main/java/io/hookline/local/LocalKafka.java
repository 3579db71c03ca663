package io.hookline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (the {@code kafka_2.13} jar, KRaft, broker and controller in one
 * node) running as a child JVM, its data kept in a folder across restarts.
 *
 * <p>Layout of {@code dataDir}: {@code cluster-id} (generated once), {@code server.properties}
 * (rewritten on every start, so ports may change between runs), {@code data/} (log dirs and
 * metadata, formatted on the first start only; {@code StorageTool format --ignore-formatted} would
 * never wipe it either). The
 * controller quorum is static ({@code controller.quorum.voters}), so the controller port can be a
 * new free port on every start.
 *
 * <p>{@link #start(Path, int)} returns once an Admin client can describe the cluster, or throws
 * with the end of the broker's log. Topics are never created automatically: every Hookline service
 * creates the catalogue topics it needs.
 */
public final class LocalKafka implements AutoCloseable {

  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final String HOST = "127.0.0.1";

  private final ChildProcess child;
  private final int port;
  private final Path dataDir;

  private LocalKafka(ChildProcess child, int port, Path dataDir) {
    this.child = child;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** Starts a broker on {@code port} (0 = any free port), logging to {@code dataDir/kafka.log}. */
  public static LocalKafka start(Path dataDir, int port) {
    return start(dataDir, port, dataDir.resolve("kafka.log"), DEFAULT_READY_TIMEOUT);
  }

  /** Starts a broker and waits until it serves requests, at most {@code readyTimeout}. */
  public static LocalKafka start(Path dataDir, int port, Path logFile, Duration readyTimeout) {
    try {
      Files.createDirectories(dataDir);
      int brokerPort = port == 0 ? freePort() : port;
      int controllerPort = freePort();
      Path properties = dataDir.resolve("server.properties");
      Files.writeString(
          properties, serverProperties(dataDir, brokerPort, controllerPort), StandardCharsets.UTF_8);
      String classpath = ChildJvm.currentClasspath();
      // Formatting is a JVM of its own (seconds on a busy machine); a formatted folder is kept as it is.
      if (!Files.exists(dataDir.resolve("data").resolve("meta.properties"))) {
        format(properties, clusterId(dataDir), classpath, logFile);
      }
      Process process =
          ChildJvm.start("kafka.Kafka", List.of(properties.toString()), classpath, Map.of(), logFile);
      LocalKafka kafka = new LocalKafka(new ChildProcess("kafka", process, logFile), brokerPort, dataDir);
      try {
        kafka.awaitReady(readyTimeout);
      } catch (RuntimeException e) {
        kafka.child.kill();
        throw e;
      }
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the broker in " + dataDir, e);
    }
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return child.logFile();
  }

  public long pid() {
    return child.pid();
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  public CompletableFuture<LocalKafka> onExit() {
    return child.onExit().thenApply(process -> this);
  }

  public OptionalInt exitCode() {
    return child.exitCode();
  }

  public List<String> logTail(int lines) {
    return child.logTail(lines);
  }

  /** SIGTERM (controlled shutdown), SIGKILL after {@link #DEFAULT_STOP_GRACE}. */
  public boolean stop() {
    return child.stop(DEFAULT_STOP_GRACE);
  }

  /** SIGKILL now; returns once the process is gone. */
  public void kill() {
    child.kill();
  }

  @Override
  public void close() {
    stop();
  }

  String describeUnexpectedExit() {
    return child.describeUnexpectedExit();
  }

  private void awaitReady(Duration timeout) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    Instant deadline = Instant.now().plus(timeout);
    try (Admin admin = Admin.create(config)) {
      while (true) {
        if (!child.isAlive()) {
          throw new IllegalStateException(child.describeUnexpectedExit());
        }
        try {
          if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(1_000))
              .nodes()
              .get(2, TimeUnit.SECONDS)
              .isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // Not serving yet: the next describe is the wait. The deadline bounds it.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "the broker did not answer on " + bootstrapServers() + " within " + timeout + "; "
                  + child.lastLinesOfLog(40));
        }
      }
    }
  }

  private static void format(Path properties, String clusterId, String classpath, Path logFile) {
    Process format =
        ChildJvm.start(
            "kafka.tools.StorageTool",
            List.of("format", "--ignore-formatted", "--cluster-id", clusterId, "--config", properties.toString()),
            classpath,
            Map.of(),
            logFile);
    ChildProcess child = new ChildProcess("kafka storage format", format, logFile);
    if (!child.waitFor(FORMAT_TIMEOUT)) {
      child.kill();
      throw new IllegalStateException("formatting the broker storage took longer than " + FORMAT_TIMEOUT);
    }
    if (child.exitCode().orElse(-1) != 0) {
      throw new IllegalStateException(
          "formatting the broker storage failed; " + child.lastLinesOfLog(20));
    }
  }

  /** The cluster id stored in the data folder, generated on first use. */
  private static String clusterId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("cluster-id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String id = Uuid.randomUuid().toString();
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  static String serverProperties(Path dataDir, int brokerPort, int controllerPort) {
    String logDirs = dataDir.toAbsolutePath().resolve("data").toString();
    return String.join(
        "\n",
        "# Written by io.hookline.local.LocalKafka on every start; edits are overwritten.",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
        "listeners=PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort,
        "advertised.listeners=PLAINTEXT://" + HOST + ":" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + logDirs,
        "num.partitions=1",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=6",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=6",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "")
        ;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }
}
