package io.hookline.queryapi;

import io.hookline.avro.Event;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Failed executions for tests, modelled on the Zoho SalesIQ sample: a
 * {@code conversation.operator.replied} event of app 19367000000002043 that got a 400 three
 * retries in a row.
 */
public final class FailedExecutionSamples {

  public static final String APP_ID = "19367000000002043";
  public static final String EVENT = "conversation.operator.replied";

  private FailedExecutionSamples() {}

  /**
   * Values of the failed-executions filter ({@code from_time}, {@code to_time}, {@code events}, read
   * alike by the list and by bulk replay) that are a 400, each with the parameter the answer names.
   */
  public static Stream<Arguments> badFilters() {
    return Stream.of(
        Arguments.of("from_time=yesterday", "from_time"),
        Arguments.of("from_time=-5", "from_time"),
        Arguments.of("to_time=2019-08-26", "to_time"),
        Arguments.of("to_time=abc", "to_time"),
        Arguments.of("from_time=2000&to_time=1000", "from_time"),
        Arguments.of("events=", "events"),
        Arguments.of("events=a,,b", "events"));
  }

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
