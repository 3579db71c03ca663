package io.hookline.dispatcher.application;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs tasks on the calling thread without growing the stack: a task that finishes synchronously
 * (a deleted webhook, a request that fails at once) frees a slot whose next task is handed back
 * here while the first is still running; it joins the loop already running on this thread instead
 * of starting a nested one. A task that throws is reported as fatal and the others still run.
 */
final class Trampoline<T> {

  private final ThreadLocal<ArrayDeque<T>> running = new ThreadLocal<>();
  private final Consumer<T> task;
  private final FatalFailure fatal;

  Trampoline(Consumer<T> task, FatalFailure fatal) {
    this.task = task;
    this.fatal = fatal;
  }

  void runAll(List<T> items) {
    if (items.isEmpty()) {
      return;
    }
    ArrayDeque<T> work = running.get();
    if (work != null) {
      work.addAll(items);
      return;
    }
    work = new ArrayDeque<>(items);
    running.set(work);
    try {
      T t;
      while ((t = work.pollFirst()) != null) {
        try {
          task.accept(t);
        } catch (RuntimeException ex) {
          fatal.report(ex);
        }
      }
    } finally {
      running.remove();
    }
  }
}
