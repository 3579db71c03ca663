package io.hookline.queryapi.view.streams;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's copy of the stores of one input partition, as {@link StoreRouting} hands it to a
 * local read: the active copy, or ({@code stale}) a standby copy when the partition's owner cannot
 * answer, or whichever copy this instance keeps while a rebalance runs. Every store of the topology is partitioned like its input topic, so all stores of the
 * partition are here together. A store that cannot be read now (restoring, migrated away) throws
 * an {@link org.apache.kafka.streams.errors.InvalidStateStoreException}, which the routing turns
 * into "try elsewhere, or 503".
 */
public final class PartitionStores {

  private final KafkaStreams streams;
  private final int partition;
  private final boolean stale;

  PartitionStores(KafkaStreams streams, int partition, boolean stale) {
    this.streams = streams;
    this.partition = partition;
    this.stale = stale;
  }

  public <S> S store(String name, QueryableStoreType<S> type) {
    StoreQueryParameters<S> parameters = StoreQueryParameters.fromNameAndType(name, type).withPartition(partition);
    return streams.store(stale ? parameters.enableStaleStores() : parameters);
  }

  /** A key-value store of the partition with Bytes keys, the layout of the view's composite keys. */
  public <V> ReadOnlyKeyValueStore<Bytes, V> bytesKeyValueStore(String name) {
    return store(name, QueryableStoreTypes.<Bytes, V>keyValueStore());
  }

  public int partition() {
    return partition;
  }

  /** True when this may be a standby copy, possibly behind the owner's. */
  public boolean stale() {
    return stale;
  }
}
