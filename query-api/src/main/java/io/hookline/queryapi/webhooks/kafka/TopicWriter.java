package io.hookline.queryapi.webhooks.kafka;

import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Synchronous writes to any catalogue topic through the service's one producer, serialised with
 * the topic's own serdes. Returns only once the broker has acknowledged the record (acks=all), with
 * its partition and offset, so callers can wait for the record to be applied downstream.
 */
@Singleton
public class TopicWriter {

  private final Producer<byte[], byte[]> producer;

  public TopicWriter(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** Writes {@code value} (null for a tombstone) under {@code key}. */
  public <K, V> RecordMetadata write(Topic<K, V> topic, K key, V value, Duration timeout) {
    byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
    byte[] valueBytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
    try {
      return producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new StoreUnavailableException(
          "Cannot write to " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new StoreUnavailableException("Timed out writing to " + topic.name() + " after " + timeout, e);
    } catch (KafkaException e) {
      throw new StoreUnavailableException("Cannot write to " + topic.name() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while writing to " + topic.name(), e);
    }
  }
}
