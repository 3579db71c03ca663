package io.hookline.runtime.management;

/** A liveness or readiness check: answers at once (no blocking call) and never throws. */
@FunctionalInterface
public interface Probe {

  ProbeResult check();
}
