package io.hookline.queryapi.failedexecutions.streams;

import io.hookline.queryapi.view.streams.WebhookTimeKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The byte layout of the failed-executions store's keys: the webhook and its reversed
 * last_execution_time ({@link WebhookTimeKeys}, so one range scan returns one webhook's failures in
 * a time range, newest first), then the execution id in UTF-8.
 */
final class FailedExecutionKeys {

  private FailedExecutionKeys() {}

  static Bytes key(String webhookId, long lastExecutionTime, String executionId) {
    byte[] execution = executionId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(WebhookTimeKeys.start(webhookId, lastExecutionTime, execution.length).put(execution).array());
  }
}
