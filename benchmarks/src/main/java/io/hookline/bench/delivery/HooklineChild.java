package io.hookline.bench.delivery;

import io.hookline.dispatcher.DispatcherApplication;

/**
 * The Hookline contender's JVM: the dispatcher exactly as users start it ({@link DispatcherApplication},
 * configured through its HOOKLINE_* environment), plus the heap sampler.
 */
public final class HooklineChild {

  private HooklineChild() {}

  public static void main(String[] args) {
    HeapSampler.start();
    DispatcherApplication.main(args);
  }
}
