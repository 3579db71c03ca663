package io.hookline.bench.delivery;

/**
 * What one contender delivered in one phase.
 *
 * @param expected events the phase should deliver (healthy ones only in the isolation scenario)
 * @param arrived of those, how many arrived by the end of the phase's window
 * @param firstNanos when the first arrived
 * @param lastNanos when the last arrived
 * @param windowStartNanos when the phase's load started
 * @param windowEndNanos when the phase stopped waiting (all arrived, stalled, or its time bound)
 * @param stalled whether it stopped because nothing more arrived for a while (the rest failed)
 * @param sortedLatencyMicros produce-to-delivery latency of each arrived event, ascending
 * @param cpuMicros CPU per arrived delivery over the phase, in the contender's JVM plus the
 *     benchmark's (broker, receiver, producer), in microseconds; NaN when not measured
 * @param p99PerSecond p99 latency in ms of each second's events of a fixed-rate phase (NaN for a
 *     second with none arrived); empty for a burst
 */
record PhaseResult(int expected, int arrived, long firstNanos, long lastNanos, long windowStartNanos,
    long windowEndNanos, boolean stalled, long[] sortedLatencyMicros, double cpuMicros, double[] p99PerSecond) {

  PhaseResult(int expected, int arrived, long firstNanos, long lastNanos, long windowStartNanos,
      long windowEndNanos, boolean stalled, long[] sortedLatencyMicros, double cpuMicros) {
    this(expected, arrived, firstNanos, lastNanos, windowStartNanos, windowEndNanos, stalled, sortedLatencyMicros,
        cpuMicros, new double[0]);
  }

  PhaseResult withCpuMicros(double micros) {
    return new PhaseResult(expected, arrived, firstNanos, lastNanos, windowStartNanos, windowEndNanos, stalled,
        sortedLatencyMicros, micros, p99PerSecond);
  }

  PhaseResult withP99PerSecond(double[] perSecond) {
    return new PhaseResult(expected, arrived, firstNanos, lastNanos, windowStartNanos, windowEndNanos, stalled,
        sortedLatencyMicros, cpuMicros, perSecond);
  }

  boolean complete() {
    return arrived == expected;
  }

  /**
   * Deliveries per second: from the first to the last arrival when all arrived or the rest failed
   * (stalled), else the arrivals over the phase's window up to its time bound.
   */
  double perSecond() {
    if (arrived < 2) {
      return 0;
    }
    long span = complete() || stalled ? lastNanos - firstNanos : windowEndNanos - firstNanos;
    return span <= 0 ? 0 : arrived * 1e9 / span;
  }

  /**
   * Latency percentile in ms over every expected event, those that never arrived counting as
   * infinitely late: {@link Double#POSITIVE_INFINITY} when the percentile falls among them.
   */
  double latencyMs(double percentile) {
    if (expected == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * expected) - 1;
    rank = Math.max(0, Math.min(expected - 1, rank));
    return rank < sortedLatencyMicros.length ? sortedLatencyMicros[rank] / 1000.0 : Double.POSITIVE_INFINITY;
  }
}
