package io.hookline.runtime.management;

import java.util.Map;
import java.util.function.Function;

/**
 * The probes of a service whose management port opens before the service has started (so an
 * orchestrator sees "not ready" rather than "not listening" while it creates topics and loads
 * state): not ready and alive while it starts, then whatever the started service says.
 *
 * @param <S> the service
 */
public class StartingService<S> {

  private final String starting;
  private final Function<S, ProbeResult> readiness;
  private final Function<S, ProbeResult> liveness;
  private volatile S service;

  /** @param starting what the service does while it starts, for the readiness answer */
  public StartingService(String starting, Function<S, ProbeResult> readiness, Function<S, ProbeResult> liveness) {
    this.starting = starting;
    this.readiness = readiness;
    this.liveness = liveness;
  }

  /** The service has started: from now on its own probes answer. */
  public S started(S started) {
    this.service = started;
    return started;
  }

  public ProbeResult readiness() {
    S s = service;
    return s == null ? ProbeResult.down("starting: " + starting) : readiness.apply(s);
  }

  public ProbeResult liveness() {
    S s = service;
    return s == null ? ProbeResult.up(Map.of("starting", true)) : liveness.apply(s);
  }
}
