package io.hookline.bench.delivery;

import io.hookline.testing.ApicurioRegistry;
import io.hookline.testing.KafkaBroker;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a contender in a JVM of its own, with the same -Xmx and HTTP settings as every other
 * contender: the ceiling client, Hookline's dispatcher on its own runtime classpath (configured
 * only through {@code HOOKLINE_*} variables, as users run it), Parallel Consumer on the
 * kafka-clients it was released with, or the plain consumer.
 */
final class ContenderLauncher {

  private final ContenderKafka kafka;
  private final Path dir;
  private final String classpath;
  private final List<String> jvmOptions;

  private final ContenderSetup setup;
  private final DeliverySettings settings;

  /** @param dir where the child's log, heap samples and profile go */
  ContenderLauncher(ContenderSetup setup, ContenderKafka kafka, Path dir, String classpath, List<String> jvmOptions) {
    this.setup = setup;
    this.settings = setup.settings();
    this.kafka = kafka;
    this.dir = dir;
    this.classpath = classpath;
    this.jvmOptions = jvmOptions;
  }

  /** Starts the contender's JVM; {@code topic} is its input topic (null for the ceiling). */
  ChildJvm start(String topic) throws Exception {
    return start(topic, settings.warmup(), settings.runs("throughput") ? settings.events() : 0,
        settings.runs("throughput") ? settings.pacedWarmupEvents() + settings.latencyEvents() : 0);
  }

  /**
   * Starts the contender's JVM for the warm-up scenario: the ceiling paces {@code pacedEvents} at
   * once, without a warm-up burst; the others as {@link #start(String)}.
   */
  ChildJvm startCold(String topic, int pacedEvents) throws Exception {
    return start(topic, 0, 0, pacedEvents);
  }

  /**
   * Starts the contender's JVM; the ceiling POSTs {@code warmup} and {@code burst} events as fast as
   * it goes, then {@code paced} at the rate; the others consume {@code topic}.
   */
  private ChildJvm start(String topic, int warmup, int burst, int paced) throws Exception {
    List<String> opts = new ArrayList<>(jvmOptions);
    Map<String, String> env = new HashMap<>();
    String group = setup.group();
    switch (setup.contender()) {
      case CEILING:
        // The JDK client hands every response of sendAsync to CompletableFuture's default pool; with
        // fewer than 3 cores that "pool" starts a new thread per response (ForkJoinPool common
        // parallelism 1). The ceiling is what the client can do at best on this machine, so it runs
        // with a real common pool; Hookline runs as shipped (BENCH_HOOKLINE_OPTS to change that).
        opts.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism="
            + Math.max(2, Runtime.getRuntime().availableProcessors()));
        return ChildJvm.start(setup.tag(), dir, classpath, settings.childXmx(), opts, CeilingClient.class.getName(),
            List.of(setup.receiver().baseUrl(), setup.tag(), str(settings.webhooks()), str(settings.maxInFlight()), str(warmup),
                str(burst), str(settings.rate()), str(paced), str(settings.fanout()), settings.eventShape().arg()), env);
      case HOOKLINE_REGISTRY:
        // The same dispatcher, its Avro topics on the registry's wire format. The registry (a real
        // Apicurio Registry, one for the benchmark's JVM) starts before the dispatcher, outside the
        // measured phases.
        env.put("HOOKLINE_SCHEMA_REGISTRY_URL", ApicurioRegistry.shared().confluentApiUrl());
        // fall through
      case HOOKLINE_SCHEMA:
      case HOOKLINE_ORDERED:
        // The same dispatcher; what differs is on the topics (ContenderKafka): an event type with a
        // JSON Schema, or webhooks ordered by key.
      case HOOKLINE:
        env.put("HOOKLINE_KAFKA_BOOTSTRAP_SERVERS", setup.broker().bootstrapServers());
        env.put("HOOKLINE_TOPIC_PREFIX", kafka.prefix());
        env.put("HOOKLINE_TOPIC_PARTITIONS", str(settings.partitions()));
        env.put("HOOKLINE_DISPATCHER_GROUP_ID", group);
        env.put("HOOKLINE_ALLOW_PRIVATE_TARGETS", "true"); // the receiver listens on 127.0.0.1
        env.put("HOOKLINE_SECRETS_KEY", kafka.secretsKey());
        if (System.getenv("HOOKLINE_MAX_IN_FLIGHT") == null) {
          env.put("HOOKLINE_MAX_IN_FLIGHT", str(settings.maxInFlight()));
        }
        String hooklineOpts = System.getenv("BENCH_HOOKLINE_OPTS");
        if (hooklineOpts != null && !hooklineOpts.isBlank()) {
          opts.addAll(List.of(hooklineOpts.trim().split("\\s+")));
        }
        if (settings.profile()) {
          opts.add("-XX:StartFlightRecording=filename=" + dir.resolve(setup.tag() + ".jfr").toAbsolutePath()
              + ",settings=profile,dumponexit=true");
        }
        // The dispatcher's own runtime classpath (as the local run starts it) plus the benchmarks jar
        // for HooklineChild: no other service's beans or application.yml.
        // BENCH_HOOKLINE_JAVA: the dispatcher alone on another JDK (the broker, receiver and peers stay).
        return ChildJvm.start(ChildJvm.javaOf(System.getenv("BENCH_HOOKLINE_JAVA")), setup.tag(), dir,
            ChildJvm.dispatcherClasspath(dir.getParent(), classpath),
            settings.childXmx(), opts, HooklineChild.class.getName(), List.of(), env);
      case PARALLEL_CONSUMER:
        String pcClasspath = ChildJvm.classpathWithout(classpath, "kafka-clients-4") + File.pathSeparator
            + dir.getParent().resolve("parallel-consumer-kafka-clients").resolve("*");
        return ChildJvm.start(setup.tag(), dir, pcClasspath, settings.childXmx(), opts, ParallelConsumerPeer.class.getName(),
            List.of(setup.broker().bootstrapServers(), topic, group, setup.receiver().baseUrl(), setup.tag(), str(settings.maxInFlight())), env);
      default:
        return ChildJvm.start(setup.tag(), dir, classpath, settings.childXmx(), opts, PlainConsumerPeer.class.getName(),
            List.of(setup.broker().bootstrapServers(), topic, group, setup.receiver().baseUrl(), setup.tag()), env);
    }
  }

  private static String str(int i) {
    return Integer.toString(i);
  }
}
