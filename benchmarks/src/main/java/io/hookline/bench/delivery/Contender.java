package io.hookline.bench.delivery;

/** Who delivers in a run of the delivery benchmark, each in a JVM of its own. */
enum Contender {
  CEILING("ceiling", "ceiling: JDK HttpClient from memory, no Kafka"),
  HOOKLINE("hookline", "Hookline dispatcher"),
  PARALLEL_CONSUMER("parallel-consumer", "Confluent Parallel Consumer 0.5.3.3 (KEY)"),
  PLAIN("plain", "plain consumer, POST each in turn"),
  /** Hookline with HOOKLINE_SCHEMA_REGISTRY_URL set: only with registry=true (it starts a registry). */
  HOOKLINE_REGISTRY("hookline-registry", "Hookline, schema registry wire format"),
  /** Hookline with every event validated against a JSON Schema before fan-out: only with schema=true. */
  HOOKLINE_SCHEMA("hookline-schema", "Hookline, events validated (JSON Schema)"),
  /** Hookline whose webhooks are ordered by key: only with ordering=key. */
  HOOKLINE_ORDERED("hookline-ordered", "Hookline, webhooks ordered by key");

  final String id;
  final String label;

  Contender(String id, String label) {
    this.id = id;
    this.label = label;
  }

  static Contender named(String id) {
    for (Contender c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("only takes a comma list of ceiling, hookline, parallel-consumer, plain, "
        + "hookline-registry, hookline-schema, hookline-ordered (or all), got " + id);
  }
}
