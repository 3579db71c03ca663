package io.hookline.queryapi.live.domain;

import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import java.util.Objects;

/**
 * A change to a portal's failed executions as it happens: a new failure, or a failed execution
 * resolved (a manual retry delivered it) that a live list drops.
 */
public sealed interface LiveChange {

  /** The portal whose failed executions changed. */
  String portal();

  /** An execution failed every attempt: it enters the failed executions. */
  record NewFailure(FailedExecution execution) implements LiveChange {
    public NewFailure {
      Objects.requireNonNull(execution, "execution");
    }

    @Override
    public String portal() {
      return execution.portal();
    }
  }

  /** A failed execution was delivered after all: it leaves the failed executions. */
  record Resolution(String portal, String webhookId, String executionId) implements LiveChange {
    public Resolution {
      Objects.requireNonNull(portal, "portal");
      Objects.requireNonNull(webhookId, "webhookId");
      Objects.requireNonNull(executionId, "executionId");
    }
  }
}
