package io.hookline.queryapi.replay.domain;

import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import java.util.Objects;

/**
 * A manual attempt of a failed execution ("retry now" or bulk replay): due at {@code dueAt}, with
 * the next attempt number (a failed execution after {@code n} retries has made {@code n + 1}
 * attempts), and what came before it ({@code failed}), which the dispatcher needs to go on.
 */
public record Resend(FailedExecution failed, int attempt, long dueAt) {

  public Resend {
    Objects.requireNonNull(failed, "failed");
  }

  /** The manual attempt that follows {@code failed}, due {@code now}. */
  public static Resend of(FailedExecution failed, long now) {
    return new Resend(failed, failed.attempts() + 1, now);
  }

  public String executionId() {
    return failed.executionId();
  }

  public String webhookId() {
    return failed.webhookId();
  }
}
