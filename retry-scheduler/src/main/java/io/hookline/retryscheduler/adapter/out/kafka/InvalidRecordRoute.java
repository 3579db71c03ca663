package io.hookline.retryscheduler.adapter.out.kafka;

import io.hookline.schemas.InvalidRecordHeaders;
import java.nio.charset.StandardCharsets;
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
    headers.add(InvalidRecordHeaders.REASON, utf8(retry.reason().name()));
    headers.add(InvalidRecordHeaders.MESSAGE, utf8(retry.problem()));
    headers.add(InvalidRecordHeaders.SOURCE_TOPIC, utf8(record.topic()));
    headers.add(InvalidRecordHeaders.SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(InvalidRecordHeaders.SOURCE_OFFSET, utf8(Long.toString(record.offset())));
    return new ProducerRecord<>(invalidTopic, null, record.key(), record.value(), headers);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
