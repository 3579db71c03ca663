package io.hookline.retryscheduler.adapter.out.kafka;

import io.hookline.schemas.InvalidRecordHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a retry record that cannot be scheduled goes: to the invalid-records topic, with its
 * original key, value and headers plus headers naming the reason and the source, so that nothing
 * is dropped silently and a fixed record can be published again. Its partition then moves on.
 */
final class InvalidRecordRoute {

  private static final Logger LOG = LoggerFactory.getLogger(InvalidRecordRoute.class);

  private final String invalidTopic;

  InvalidRecordRoute(String invalidTopic) {
    this.invalidTopic = invalidTopic;
  }

  ProducerRecord<byte[], byte[]> route(RetryRecord retry) {
    ConsumerRecord<byte[], byte[]> record = retry.record();
    LOG.warn("Retry record {}-{}@{} is not a RetryRequest ({}); it goes to {} and the partition moves on",
        record.topic(), record.partition(), record.offset(), retry.problem(), invalidTopic);
    Headers headers = new RecordHeaders(record.headers().toArray());
    InvalidRecordHeaders.of(retry.reason().name(), retry.problem(), record.topic(), record.partition(), record.offset())
        .forEach(headers::add);
    return new ProducerRecord<>(invalidTopic, null, record.key(), record.value(), headers);
  }
}
