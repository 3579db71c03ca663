package io.hookline.dispatcher.application;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer that wakes lanes whose rate limit used up its second: one daemon thread, which exists
 * only while there is work (it ends after 5 s idle), and cancelled wake-ups are removed at once.
 */
final class RateTimer {

  private RateTimer() {}

  static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "dispatcher-rate-limit");
      t.setDaemon(true);
      return t;
    });
    timer.setKeepAliveTime(5, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
