package io.hookline.retryscheduler;

import io.hookline.avro.Event;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.Topic;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.TopicRecording.Received;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test side of the retry topics: writes RetryRequests as the dispatcher does. */
final class RetryRecords {

  static final AvroSerde<RetryRequest> SERDE = AvroSerde.of(RetryRequest.class);

  private RetryRecords() {}

  static RetryRequest request(String executionId, String webhookId, long dueAt) {
    Event event = Event.newBuilder()
        .setId(executionId.length() >= 36 ? executionId : java.util.UUID.nameUUIDFromBytes(executionId.getBytes()).toString())
        .setPortal("zylker")
        .setAppId("19367000000002043")
        .setEvent("conversation.operator.replied")
        .setEntity("conversation")
        .setEntityId("19367000000130079")
        .setEntityLabel("{\"id\":\"19367000000130079\"}")
        .setEventTime(dueAt - 60_000)
        .setPayload("{\"text\":\"hello\"}")
        .build();
    return RetryRequest.newBuilder()
        .setExecutionId(executionId)
        .setWebhookId(webhookId)
        .setAttempt(2)
        .setDueAt(dueAt)
        .setTrigger(Trigger.SCHEDULED)
        .setFirstAttemptAt(dueAt - 60_000)
        .setLastAttemptAt(dueAt - 60_000)
        .setLastHttpStatus(500)
        .setLastErrorCode("HTTP_ERROR")
        .setLastErrorMessage("500 Internal Server Error")
        .setEvent(event)
        .build();
  }

  /** Writes RetryRequests (value bytes encoded here, so tests can compare bytes). */
  static final class Writer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    Writer(KafkaBroker broker) {
      Map<String, Object> props = new HashMap<>(broker.clientProps());
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    RecordMetadata send(Topic<String, RetryRequest> topic, RetryRequest request, Header... headers) {
      return send(topic.name(), request.getWebhookId(), SERDE.encode(request), headers);
    }

    RecordMetadata send(String topic, String key, byte[] value, Header... headers) {
      return send(topic, null, key, value, headers);
    }

    /** Writes to one partition of a retry topic, whatever the key would choose. */
    RecordMetadata send(Topic<String, RetryRequest> topic, int partition, RetryRequest request) {
      return send(topic.name(), partition, request.getWebhookId(), SERDE.encode(request));
    }

    private RecordMetadata send(String topic, Integer partition, String key, byte[] value, Header... headers) {
      try {
        return producer.send(new ProducerRecord<>(topic, partition, key, value, List.of(headers))).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  /** The execution a redelivered record carries. */
  static String executionId(Received<String, RetryRequest> redelivered) {
    return redelivered.value().getExecutionId();
  }
}
