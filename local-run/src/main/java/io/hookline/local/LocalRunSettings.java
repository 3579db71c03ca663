package io.hookline.local;

import io.hookline.schemas.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a local run is told: each setting from a command-line option, else an environment variable,
 * else its default. Port 0 means "any free port" (handy for tests).
 *
 * <pre>
 * --data-dir DIR       HOOKLINE_LOCAL_DIR            .hookline-local
 * --kafka-port PORT    HOOKLINE_LOCAL_KAFKA_PORT     9092
 * --http-port PORT     HOOKLINE_HTTP_PORT            8080
 * --portal NAME        HOOKLINE_LOCAL_PORTAL         zylker   (the dev token's portal)
 * --ready-timeout D    HOOKLINE_LOCAL_READY_TIMEOUT  90s
 * --schema-registry    HOOKLINE_LOCAL_SCHEMA_REGISTRY=true   off  (starts Apicurio Registry, wires the URL)
 * </pre>
 */
record LocalRunSettings(
    Path dataDir, int kafkaPort, int httpPort, String portal, Duration readyTimeout, boolean schemaRegistry) {

  static final String USAGE =
      """
      Usage: ./run-local [--data-dir DIR] [--kafka-port PORT] [--http-port PORT] [--portal NAME] [--ready-timeout DURATION]
                         [--schema-registry]
             ./run-local --print-token [--portal NAME]

      Starts a Kafka broker (KRaft) and the Hookline services on this machine. Every option also
      reads from an environment variable; port 0 picks a free port.
        --data-dir       HOOKLINE_LOCAL_DIR            default .hookline-local (broker data, logs, dev token)
        --kafka-port     HOOKLINE_LOCAL_KAFKA_PORT     default 9092
        --http-port      HOOKLINE_HTTP_PORT            default 8080
        --portal         HOOKLINE_LOCAL_PORTAL         default zylker (the portal the dev token may act on)
        --ready-timeout  HOOKLINE_LOCAL_READY_TIMEOUT  default 90s
        --schema-registry  HOOKLINE_LOCAL_SCHEMA_REGISTRY=true: also starts Apicurio Registry
                         (from Maven Central; on 127.0.0.1, the HTTP port + 5, default 8085) and gives
                         every service HOOKLINE_SCHEMA_REGISTRY_URL: the Avro topics then use the
                         registry's wire format
        --print-token    prints a dev token for HOOKLINE_JWT_SECRET (else the local run's own
                         secret) and exits, e.g. for docker compose
      Any other HOOKLINE_* variable (see the README) is passed to the services.
      HOOKLINE_LOCAL_JAVA_OPTS replaces the JVM options of the child processes (default "%s").
      HOOKLINE_LOCAL_CLASS_CACHE is the folder of the services' class-data archives (JDK 17) or AOT
      caches (JDK 25+), which make every start after the first faster (default <data dir>/class-cache;
      "off": none).
      HOOKLINE_LOCAL_JAVA_HOME is the JDK the services run on (default: the launcher's own; a JDK 25+
      gets AOT caches instead of class-data archives).
      """
          .formatted(ChildJvm.DEFAULT_JVM_OPTIONS);

  private static final Pattern PORTAL = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /** Without the schema registry (the default). */
  LocalRunSettings(Path dataDir, int kafkaPort, int httpPort, String portal, Duration readyTimeout) {
    this(dataDir, kafkaPort, httpPort, portal, readyTimeout, false);
  }

  LocalRunSettings {
    checkPort("kafka port", kafkaPort);
    checkPort("HTTP port", httpPort);
    if (!PORTAL.matcher(portal).matches()) {
      throw new IllegalArgumentException("portal must match " + PORTAL + ", got '" + portal + "'");
    }
    if (readyTimeout.isNegative() || readyTimeout.isZero()) {
      throw new IllegalArgumentException("ready timeout must be positive, got " + readyTimeout);
    }
  }

  static LocalRunSettings parse(String[] args, Map<String, String> env) {
    String dataDir = env.getOrDefault("HOOKLINE_LOCAL_DIR", ".hookline-local");
    String kafkaPort = env.getOrDefault("HOOKLINE_LOCAL_KAFKA_PORT", "9092");
    String httpPort = env.getOrDefault("HOOKLINE_HTTP_PORT", "8080");
    String portal = env.getOrDefault("HOOKLINE_LOCAL_PORTAL", "zylker");
    String readyTimeout = env.getOrDefault("HOOKLINE_LOCAL_READY_TIMEOUT", "90s");
    boolean schemaRegistry = flag("HOOKLINE_LOCAL_SCHEMA_REGISTRY", env.getOrDefault("HOOKLINE_LOCAL_SCHEMA_REGISTRY", "false"));
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--schema-registry")) {
        schemaRegistry = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--data-dir" -> dataDir = value;
        case "--kafka-port" -> kafkaPort = value;
        case "--http-port" -> httpPort = value;
        case "--portal" -> portal = value;
        case "--ready-timeout" -> readyTimeout = value;
        default -> throw new IllegalArgumentException("unknown option: " + option);
      }
    }
    return new LocalRunSettings(
        Path.of(dataDir).toAbsolutePath().normalize(),
        port("kafka port", kafkaPort),
        port("HTTP port", httpPort),
        portal,
        DurationText.parse(readyTimeout),
        schemaRegistry);
  }

  Path logDir() {
    return dataDir.resolve("logs");
  }

  Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  private static int port(String what, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, got '" + text + "'");
    }
  }

  private static boolean flag(String what, String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(what + " must be true or false, got '" + text + "'");
    };
  }

  private static void checkPort(String what, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " must be 0..65535, got " + port);
    }
  }
}
