package io.hookline.retryscheduler;

import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.micronaut.context.ApplicationContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the retry scheduler until SIGTERM or Ctrl-C. Start-up creates every catalogue topic, then
 * the scheduler joins its consumer group. On SIGTERM the context closes: the batch in hand is
 * committed (or aborted), the clients leave the group so the partitions move on at once, and the
 * process exits 0. If the scheduler stops on a fatal error (fenced by a newer instance with the
 * same transactional id, authorization, ...) the process exits 1, so a supervisor restarts it or
 * somebody looks.
 */
public final class RetrySchedulerApplication {

  private static final Logger LOG = LoggerFactory.getLogger(RetrySchedulerApplication.class);
  private static volatile int exitStatus = 0;

  private RetrySchedulerApplication() {}

  public static void main(String[] args) throws InterruptedException {
    ApplicationContext context = ApplicationContext.builder()
        .mainClass(RetrySchedulerApplication.class)
        .args(args)
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      context.close();
      // The JVM would report a SIGTERM as status 143; a clean stop is a success.
      Runtime.getRuntime().halt(exitStatus);
    }, "retry-scheduler-shutdown"));
    Optional<Throwable> failure = context.getBean(RetryScheduler.class).awaitTermination();
    if (failure.isPresent()) {
      LOG.error("Retry scheduler failed; exiting with status 1", failure.get());
      exitStatus = 1;
      System.exit(1);
    }
  }
}
