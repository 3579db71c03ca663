package io.hookline.local;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a service's JVM starts from to start faster, made from an earlier start of the same build:
 * a class-data archive on JDK 17 ({@link ClassDataArchive}), an AOT cache on JDK 25+ ({@link AotCache}).
 */
interface StartCache {

  /** The JVM options of a start: use the cache if there is one, else record what the next start needs. */
  List<String> jvmOptions() throws IOException;

  /**
   * Call once {@code service}, started with {@link #jvmOptions()}, is ready: makes the cache in the
   * background, from what this start recorded (archives) or an earlier run wrote at its exit (AOT
   * caches). Completes with true when a cache exists for the next start, false when none could be
   * made yet. Never throws.
   */
  CompletableFuture<Boolean> create(ProcessHandle service);

  /** When no {@link #create} follows (the service stopped before it was ready): drops what was recorded. */
  void abandon();
}
