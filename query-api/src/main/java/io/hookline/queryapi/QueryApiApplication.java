package io.hookline.queryapi;

import io.micronaut.runtime.Micronaut;
import sun.misc.Signal;

/**
 * Entry point of the query API. Start-up creates every catalogue topic, loads the webhooks topic and
 * only then opens the HTTP port. Runs until SIGTERM or Ctrl-C, then stops taking requests, closes
 * the mirror, producer and admin client, and exits 0 (a start-up failure exits 1).
 */
public final class QueryApiApplication {

  private QueryApiApplication() {}

  public static void main(String[] args) {
    // A stop request is a normal end: exit 0, running Micronaut's shutdown hook, instead of the
    // JVM's default 143/130 for a signal.
    Signal.handle(new Signal("TERM"), s -> System.exit(0));
    Signal.handle(new Signal("INT"), s -> System.exit(0));
    Micronaut.build(args).mainClass(QueryApiApplication.class).start();
  }
}
