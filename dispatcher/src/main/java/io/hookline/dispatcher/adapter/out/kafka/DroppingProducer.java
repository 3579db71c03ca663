package io.hookline.dispatcher.adapter.out.kafka;

import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A producer that connects to nothing and keeps nothing: every record is acknowledged at once, on
 * the sender's thread, and dropped. Kafka's own in-memory producer ({@link MockProducer}, which would
 * otherwise keep every record it was given) rather than a hand-written one, so the {@code Producer}
 * contract is implemented in full. Used by {@link KafkaOutcomeLog#dropping} only.
 */
final class DroppingProducer extends MockProducer<byte[], byte[]> {

  DroppingProducer() {
    super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    Future<RecordMetadata> acked = super.send(record, callback);
    clear();
    return acked;
  }
}
