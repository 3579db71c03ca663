package io.hookline.bench;

/**
 * Retry lateness of one contender in one run: attempt start minus due time, in milliseconds, over
 * every record of the load.
 *
 * @param contender who was measured
 * @param measuredAs how "attempt start" and "due time" were taken for this contender
 * @param records records received, each exactly once (equal to the records produced)
 * @param duplicates extra deliveries of records already received
 * @param dueSpreadMs the span between the earliest and the latest due time of the load
 */
record LatenessSummary(
    String contender, String measuredAs, long records, long duplicates, long dueSpreadMs, long minMs, long p50Ms, long p99Ms,
    long p999Ms, long maxMs) {}
