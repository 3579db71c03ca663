package io.hookline.bench.delivery;

import io.hookline.testing.KafkaBroker;

/**
 * What every part of one contender's run shares: which contender, its tag (receiver path, log name,
 * consumer group suffix), the run's id (in its topic names, so contenders never share a topic), the
 * settings, the broker and the receiver.
 */
record ContenderSetup(Contender contender, String tag, String id, DeliverySettings settings, KafkaBroker broker,
    BenchReceiver receiver) {

  /** The contender's consumer group (Kafka contenders). */
  String group() {
    return "bench" + id + "-" + tag;
  }
}
