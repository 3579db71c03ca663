package io.hookline.dispatcher.adapter.in.kafka;

import io.hookline.dispatcher.application.WebhookOwnership;
import io.hookline.schemas.Topic;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The webhooks whose partition of the redeliveries topic this instance's consumer is assigned: the
 * partition the producers' default partitioner picks for the webhook id as key, the key every
 * retry, parked and redelivered record of the webhook carries. Kept up to date by the consumer's
 * rebalance callbacks; before the first assignment every webhook counts as owned (nothing is handed
 * over to an instance that is not there yet). During a rebalance two instances may both count a
 * webhook as theirs for a moment.
 */
public final class RedeliveryOwnership implements WebhookOwnership {

  private final Topic<String, ?> redeliveries;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private volatile int partitions;

  public RedeliveryOwnership(Topic<String, ?> redeliveries) {
    this.redeliveries = redeliveries;
  }

  @Override
  public boolean owns(String webhookId) {
    int n = partitions;
    if (n == 0) {
      return true;
    }
    byte[] key = redeliveries.keySerde().serializer().serialize(redeliveries.name(), webhookId);
    return owned.contains(Utils.toPositive(Utils.murmur2(key)) % n);
  }

  /** {@code assigned} were added to the consumer's assignment; the redeliveries topic has {@code partitionCount} partitions. */
  void assigned(Collection<TopicPartition> assigned, int partitionCount) {
    for (TopicPartition tp : assigned) {
      if (tp.topic().equals(redeliveries.name())) {
        owned.add(tp.partition());
      }
    }
    if (partitionCount > 0) {
      partitions = partitionCount;
    }
  }

  void revoked(Collection<TopicPartition> revoked) {
    for (TopicPartition tp : revoked) {
      if (tp.topic().equals(redeliveries.name())) {
        owned.remove(tp.partition());
      }
    }
  }
}
