package io.hookline.bench.delivery;

import java.io.IOException;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Runs inside every contender's JVM: samples the heap every 50 ms and keeps the file named by
 * {@code -Dbench.heapFile} up to date with the peaks so far (bytes): heap used (live objects plus
 * garbage not yet collected, so it mostly says how far the collector let the heap fill), heap
 * committed (taken from the OS), and heap used right after a collection (what survived it: the
 * figure that shows whether the retained data is bounded). The benchmark reads the file at any
 * moment, even from a JVM it is about to kill.
 */
final class HeapSampler {

  private HeapSampler() {}

  static void start() {
    String file = System.getProperty("bench.heapFile");
    if (file == null) {
      return;
    }
    Path target = Path.of(file);
    Path tmp = Path.of(file + ".tmp");
    Thread t = new Thread(() -> {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long peakUsed = 0;
      long peakCommitted = 0;
      long peakAfterGc = 0;
      long lastWritten = -1;
      while (true) {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        peakUsed = Math.max(peakUsed, heap.getUsed());
        peakCommitted = Math.max(peakCommitted, heap.getCommitted());
        peakAfterGc = Math.max(peakAfterGc, usedAfterLastGc());
        long digest = peakUsed * 31 + peakCommitted * 7 + peakAfterGc;
        if (digest != lastWritten) {
          try {
            Files.writeString(tmp, peakUsed + " " + peakCommitted + " " + heap.getMax() + " " + peakAfterGc + "\n",
                StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lastWritten = digest;
          } catch (IOException e) {
            return;
          }
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    t.setDaemon(true);
    t.start();
  }

  /** Heap in use right after the most recent collection of any collector (0 before the first). */
  private static long usedAfterLastGc() {
    long latestEnd = -1;
    long used = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
        GcInfo info = sun.getLastGcInfo();
        if (info != null && info.getEndTime() > latestEnd) {
          latestEnd = info.getEndTime();
          used = 0;
          for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(pool.getKey())) {
              used += pool.getValue().getUsed();
            }
          }
        }
      }
    }
    return used;
  }

  private static boolean isHeapPool(String name) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals(name)) {
        return pool.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }
}
