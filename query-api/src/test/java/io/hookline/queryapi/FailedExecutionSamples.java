package io.hookline.queryapi;

import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;

/**
 * Failed executions for tests, modelled on the Zoho SalesIQ sample: a
 * {@code conversation.operator.replied} event of app 19367000000002043 that got a 400 three
 * retries in a row.
 */
public final class FailedExecutionSamples {

  public static final String APP_ID = "19367000000002043";
  public static final String EVENT = "conversation.operator.replied";

  private FailedExecutionSamples() {}

  /** A FAILED record of {@code executionId} on {@code webhookId}, last attempted at {@code time}. */
  public static FailedExecution failed(String portal, String webhookId, String executionId, String event,
      String entityId, long time) {
    Event published = Event.newBuilder()
        .setId("ev-" + executionId)
        .setPortal(portal)
        .setAppId(APP_ID)
        .setEvent(event)
        .setEntity("conversation")
        .setEntityId(entityId)
        .setEntityLabel("{\"id\":\"" + entityId + "\"}")
        .setEventTime(time - 120_000)
        .setPayload("{\"version\":1,\"event_time\":\"" + (time - 120_000) + "\",\"message\":{\"sender\":"
            + "{\"name\":\"Tricia\",\"id\":\"19367000000002079\"},\"msgid\":\"" + (time - 120_050)
            + "\",\"text\":\"sargunamdurairaj\"},\"id\":\"" + entityId + "\"}")
        .build();
    return FailedExecution.newBuilder()
        .setExecutionId(executionId)
        .setWebhookId(webhookId)
        .setPortal(portal)
        .setUrl("https://example.com/hook")
        .setState(FailedExecutionState.FAILED)
        .setNumberOfRetries(3)
        .setLastHttpStatus(400)
        .setErrorCode("HTTP_ERROR")
        .setErrorMessage("HTTP 400")
        .setFirstExecutionTime(time - 180_000)
        .setLastExecutionTime(time)
        .setEvent(published)
        .build();
  }

  public static FailedExecution failed(String portal, String webhookId, String executionId, long time) {
    return failed(portal, webhookId, executionId, EVENT, "19367000000130079", time);
  }

  /** The record that marks {@code original}'s execution as delivered after all. */
  public static FailedExecution resolved(FailedExecution original, long time) {
    return FailedExecution.newBuilder(original)
        .setState(FailedExecutionState.RESOLVED)
        .setLastHttpStatus(200)
        .setErrorCode(null)
        .setErrorMessage(null)
        .setLastExecutionTime(time)
        .build();
  }
}
