package io.hookline.queryapi.replay.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.failedexecutions.kafka.FailedExecutionRecords;
import io.hookline.queryapi.replay.RedeliveryQueue;
import io.hookline.queryapi.replay.domain.Resend;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Re-sends on {@code hookline.redeliveries}, keyed by webhook id like every retry request, so one
 * webhook's re-sends land on one partition in the order given. All records of a call are sent
 * before any acknowledgement is awaited (one round trip, not one per record), and the call returns
 * only once the broker has acknowledged every one (acks=all, idempotent producer), within the
 * configured write timeout in total.
 */
@Singleton
public class KafkaRedeliveryQueue implements RedeliveryQueue {

  private final Producer<byte[], byte[]> producer;
  private final Topic<String, RetryRequest> topic;
  private final Duration timeout;

  public KafkaRedeliveryQueue(Producer<byte[], byte[]> producer, HooklineTopics topics, QueryApiConfiguration config) {
    this.producer = producer;
    this.topic = topics.redeliveries();
    this.timeout = config.getWriteTimeout();
  }

  @Override
  public void queue(List<Resend> resends) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<RecordMetadata>> sent = new ArrayList<>(resends.size());
    try {
      for (Resend resend : resends) {
        RetryRequest request = retryRequest(resend);
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), request.getWebhookId());
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), request);
        sent.add(producer.send(new ProducerRecord<>(topic.name(), key, value)));
      }
      for (Future<RecordMetadata> ack : sent) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw unavailable("Cannot write to " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw unavailable("Timed out writing to " + topic.name() + " after " + timeout, e);
    } catch (KafkaException e) {
      throw unavailable("Cannot write to " + topic.name() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("Interrupted while writing to " + topic.name(), e);
    }
  }

  /** The retry request of {@code resend}, carrying what came before so the dispatcher goes on from there. */
  public static RetryRequest retryRequest(Resend resend) {
    FailedExecution failed = resend.failed();
    return RetryRequest.newBuilder()
        .setExecutionId(failed.executionId())
        .setWebhookId(failed.webhookId())
        .setAttempt(resend.attempt())
        .setDueAt(resend.dueAt())
        .setTrigger(Trigger.MANUAL)
        .setFirstAttemptAt(failed.firstExecutionTime())
        .setLastAttemptAt(failed.lastExecutionTime())
        .setLastHttpStatus(failed.lastHttpStatus())
        .setLastErrorCode(failed.errorCode())
        .setLastErrorMessage(failed.errorMessage())
        .setEvent(FailedExecutionRecords.toAvro(failed.event()))
        .build();
  }

  private static StoreUnavailableException unavailable(String message, Throwable cause) {
    return new StoreUnavailableException(message + "; some re-sends may have been queued", cause);
  }
}
