package io.hookline.queryapi.live.kafka;

import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.queryapi.failedexecutions.kafka.FailedExecutionRecords;
import io.hookline.queryapi.live.PositionedChange;
import io.hookline.queryapi.live.domain.LiveChange;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.schemas.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of the dead-letter topic as live changes, and the consumers that read them: no group,
 * nothing committed, only committed transactions (the writers are transactional), a position
 * before the log start read from the log start.
 */
final class FailureRecords {

  private static final Logger LOG = LoggerFactory.getLogger(FailureRecords.class);

  private FailureRecords() {}

  static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientProps, String clientId) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The change {@code r} records; empty (and logged) for a record that does not decode.
   *
   * @throws SchemaRegistryException when the schema registry did not answer for the record's schema: the record is
   *     fine and must not be skipped, the caller reads it again
   */
  static Optional<PositionedChange> change(Topic<String, FailedExecution> topic, ConsumerRecord<byte[], byte[]> r) {
    FailedExecution f;
    try {
      f = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (SchemaRegistryException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("Skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
      return Optional.empty();
    }
    if (f == null) {
      return Optional.empty();
    }
    LiveChange change = f.getState() == FailedExecutionState.RESOLVED
        ? new LiveChange.Resolution(f.getPortal(), f.getWebhookId(), f.getExecutionId())
        : new LiveChange.NewFailure(FailedExecutionRecords.fromAvro(f));
    return Optional.of(new PositionedChange(r.partition(), r.offset(), change));
  }
}
