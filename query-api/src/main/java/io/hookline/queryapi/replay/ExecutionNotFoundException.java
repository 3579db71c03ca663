package io.hookline.queryapi.replay;

/**
 * The webhook has no unresolved failed execution with this id: unknown, another webhook's,
 * already delivered, or past the retention of the failed view.
 */
public final class ExecutionNotFoundException extends RuntimeException {

  public ExecutionNotFoundException(String webhookId, String executionId) {
    super("Webhook '" + webhookId + "' has no failed execution '" + executionId + "'");
  }
}
