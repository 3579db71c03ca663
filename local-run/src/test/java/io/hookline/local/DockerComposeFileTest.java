package io.hookline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, checked without Docker: the facts people rely on (broker
 * image and ports, every service with its main class, only settings the services know), and the
 * whole file through dclint (pinned in tools/package.json; .ci/run installs it; under CI=true its
 * absence is a failure, elsewhere the dclint test reports itself skipped).
 */
class DockerComposeFileTest {

  /** Every HOOKLINE_* variable the services read (the configuration table of the README). */
  static final Set<String> KNOWN_SETTINGS =
      Set.of(
          "HOOKLINE_KAFKA_BOOTSTRAP_SERVERS",
          "HOOKLINE_TOPIC_PREFIX",
          "HOOKLINE_TOPIC_PARTITIONS",
          "HOOKLINE_TOPIC_REPLICATION_FACTOR",
          "HOOKLINE_TOPIC_RETENTION",
          "HOOKLINE_RETRY_DELAYS",
          "HOOKLINE_SCHEMA_REGISTRY_URL",
          "HOOKLINE_SCHEMA_REGISTRY_USERNAME",
          "HOOKLINE_SCHEMA_REGISTRY_PASSWORD",
          "HOOKLINE_SCHEMA_REGISTRY_BEARER_TOKEN",
          "HOOKLINE_SCHEMA_REGISTRY_TIMEOUT",
          "HOOKLINE_STATE_DIR",
          "HOOKLINE_QUERY_APPLICATION_ID",
          "HOOKLINE_FAILED_RETENTION",
          "HOOKLINE_DELIVERY_TIMEOUT",
          "HOOKLINE_ALLOW_PRIVATE_TARGETS",
          "HOOKLINE_HTTP_PORT",
          "HOOKLINE_JWT_SECRET",
          "HOOKLINE_JWT_JWKS_URL",
          "HOOKLINE_SECRETS_KEY",
          "HOOKLINE_MAX_REQUEST_SIZE",
          "HOOKLINE_MANAGEMENT_PORT",
          "HOOKLINE_METRICS_ENABLED",
          "HOOKLINE_METRICS_PER_WEBHOOK",
          "HOOKLINE_INSTANCE_ID",
          "HOOKLINE_MAX_RETRY_AFTER",
          "HOOKLINE_SCHEDULER_RELEASE_LEAD");

  /** The overlay that points every service at the registry of the schema-registry profile. */
  static final String REGISTRY_OVERLAY = "docker-compose.schema-registry.yml";

  private static Path root;
  private static Map<String, Object> compose;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    root = repositoryRoot();
    compose = new Yaml().load(Files.readString(root.resolve("docker-compose.yml"), StandardCharsets.UTF_8));
  }

  @Test
  void brokerIsTheApacheKafkaImageOfOurKafkaVersionReachableFromHostAndContainers() {
    Map<String, Object> kafka = service("kafka");
    assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    assertThat(list(kafka, "ports")).contains("127.0.0.1:9092:9092");
    Map<String, Object> env = map(kafka, "environment");
    assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")))
        .contains("127.0.0.1:9092")
        .contains("kafka:29092");
    assertThat(String.valueOf(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))).isEqualTo("false");
    assertThat(map(kafka, "healthcheck")).containsKey("test");
  }

  @Test
  void everyServiceRunsItsMainClassFromTheImageAfterTheBrokerIsHealthy() throws IOException {
    String dockerfile = Files.readString(root.resolve("Dockerfile"), StandardCharsets.UTF_8);
    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre");
    for (Map.Entry<String, String> expected : LocalRun.SERVICES) {
      String module = expected.getKey();
      Map<String, Object> service = service(module);
      assertThat(service.get("build")).as(module + " build").isEqualTo(".");
      assertThat(list(service, "command")).as(module + " command").containsExactly(module, expected.getValue());
      assertThat(dockerfile).as("the Dockerfile packages " + module).contains(module);
      assertThat(map(map(service, "depends_on"), "kafka")).containsEntry("condition", "service_healthy");
      Map<String, Object> env = map(service, "environment");
      assertThat(env).containsEntry("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092");
    }
    Map<String, Object> api = service("query-api");
    assertThat(list(api, "ports")).contains("127.0.0.1:8080:8080");
    assertThat(map(api, "environment")).containsEntry("HOOKLINE_HTTP_PORT", "8080");
  }

  @Test
  void everyServiceHasAStableInstanceId() {
    for (Map.Entry<String, String> service : LocalRun.SERVICES) {
      assertThat(String.valueOf(map(service(service.getKey()), "environment").get("HOOKLINE_INSTANCE_ID")))
          .as(service.getKey() + " HOOKLINE_INSTANCE_ID (static membership: a restart resumes at once)")
          .matches("[A-Za-z0-9._-]{1,200}");
    }
  }

  @Test
  void servicesAreOnlyGivenSettingsTheyKnow() {
    Set<String> used = new TreeSet<>();
    for (Map.Entry<String, String> service : LocalRun.SERVICES) {
      map(service(service.getKey()), "environment").keySet().stream()
          .filter(name -> name.startsWith("HOOKLINE_"))
          .forEach(used::add);
    }
    assertThat(used).isNotEmpty().isSubsetOf(KNOWN_SETTINGS);
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryServiceOnThePortItExposes() throws IOException {
    Map<String, String> metricsPorts = Map.of("dispatcher", "8081", "retry-scheduler", "8082", "query-api", "8080");
    for (Map.Entry<String, String> port : metricsPorts.entrySet()) {
      Map<String, Object> service = service(port.getKey());
      assertThat(list(service, "ports")).as(port.getKey() + " ports").contains("127.0.0.1:" + port.getValue() + ":" + port.getValue());
    }
    assertThat(map(service("dispatcher"), "environment")).containsEntry("HOOKLINE_MANAGEMENT_PORT", "8081");
    assertThat(map(service("retry-scheduler"), "environment")).containsEntry("HOOKLINE_MANAGEMENT_PORT", "8082");

    Map<String, Object> prometheus = service("prometheus");
    assertThat(list(prometheus, "volumes"))
        .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    Map<String, Object> config = new Yaml().load(
        Files.readString(root.resolve("deploy/prometheus/prometheus.yml"), StandardCharsets.UTF_8));
    Set<String> targets = new TreeSet<>();
    for (Object job : (List<Object>) config.get("scrape_configs")) {
      Map<String, Object> scrape = (Map<String, Object>) job;
      assertThat(scrape.get("metrics_path")).isEqualTo("/metrics");
      for (Object group : (List<Object>) scrape.get("static_configs")) {
        targets.addAll((List<String>) ((Map<String, Object>) group).get("targets"));
      }
    }
    assertThat(targets).containsExactlyInAnyOrder("dispatcher:8081", "retry-scheduler:8082", "query-api:8080");
  }

  @Test
  void theSchemaRegistryIsAnOptionalProfileAndOnlyTheOverlayPointsTheServicesAtIt() throws IOException {
    Map<String, Object> registry = service("schema-registry");
    assertThat(registry.get("image")).isEqualTo("apicurio/apicurio-registry:" + LocalSchemaRegistry.VERSION);
    assertThat(list(registry, "profiles")).containsExactly("schema-registry");
    assertThat(list(registry, "ports")).containsExactly("127.0.0.1:8085:8080");
    for (Map.Entry<String, String> service : LocalRun.SERVICES) {
      assertThat(map(service(service.getKey()), "environment"))
          .as(service.getKey() + " without the overlay: today's single-object Avro")
          .doesNotContainKey("HOOKLINE_SCHEMA_REGISTRY_URL");
    }

    Map<String, Object> overlay =
        new Yaml().load(Files.readString(root.resolve(REGISTRY_OVERLAY), StandardCharsets.UTF_8));
    assertThat(overlay.get("name")).isEqualTo(compose.get("name"));
    Map<String, Object> overlaid = map(overlay, "services");
    assertThat(overlaid.keySet())
        .containsExactlyInAnyOrderElementsOf(LocalRun.SERVICES.stream().map(Map.Entry::getKey).toList());
    for (String name : overlaid.keySet()) {
      Map<String, Object> service = map(overlaid, name);
      assertThat(service.keySet()).as(name + ": the overlay adds, never replaces").containsOnly("depends_on", "environment");
      assertThat(map(map(service, "depends_on"), "schema-registry")).containsEntry("condition", "service_started");
      assertThat(map(service, "environment"))
          .containsExactly(Map.entry("HOOKLINE_SCHEMA_REGISTRY_URL", "http://schema-registry:8080/apis/ccompat/v7"));
      assertThat(map(service, "environment").keySet()).isSubsetOf(KNOWN_SETTINGS);
    }
  }

  @Test
  void dclintFindsNoProblem() throws Exception {
    Optional<Path> dclint = dclint();
    if (dclint.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("dclint is not installed; .ci/run installs it with `npm ci --prefix tools`");
    }
    // Outside CI a missing linter makes this test report itself skipped, never a silent pass.
    assumeTrue(dclint.isPresent(), "dclint is not installed (npm ci --prefix tools): skipped");
    Result clean = run(dclint.get(), root.resolve("docker-compose.yml"));
    assertThat(clean.exitCode()).as("dclint docker-compose.yml:\n" + clean.output()).isZero();
    Result overlay = run(dclint.get(), root.resolve(REGISTRY_OVERLAY));
    assertThat(overlay.exitCode()).as("dclint " + REGISTRY_OVERLAY + ":\n" + overlay.output()).isZero();

    // And it does catch a broken file here, so a green run means something.
    Path broken = tmp.resolve("docker-compose.yml");
    Files.writeString(
        broken,
        Files.readString(root.resolve("docker-compose.yml")).replace("    ports:", "    portz:"),
        StandardCharsets.UTF_8);
    Result rejected = run(dclint.get(), broken);
    assertThat(rejected.exitCode()).as(rejected.output()).isNotZero();
    assertThat(rejected.output()).contains("additional properties");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path dclint, Path file) throws Exception {
    Path output = Files.createTempFile("dclint", ".txt");
    Process process =
        new ProcessBuilder(dclint.toString(), "--max-warnings", "0", "--no-color", file.toString())
            // Never the test JVM's stdin: under Surefire it is Maven's command channel.
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("dclint did not finish within 120 s");
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    return new Result(process.exitValue(), text);
  }

  private static Optional<Path> dclint() {
    Path pinned = root.resolve("tools/node_modules/.bin/dclint");
    if (Files.isExecutable(pinned)) {
      return Optional.of(pinned);
    }
    return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
        .map(dir -> Path.of(dir, "dclint"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static Map<String, Object> service(String name) {
    Map<String, Object> services = map(compose, "services");
    assertThat(services).as("services").containsKey(name);
    return map(services, name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(List.class);
    return (List<Object>) value;
  }
}
