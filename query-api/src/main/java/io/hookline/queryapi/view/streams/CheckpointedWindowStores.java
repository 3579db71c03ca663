package io.hookline.queryapi.view.streams;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Persistent window stores whose changelog offset is kept in a checkpoint file written at a clean
 * close, so that a store holding no window restarts from its local state.
 *
 * <p>Why: Kafka Streams 4.3 keeps a RocksDB window store's committed changelog offset in its
 * segments. A store with no segment (no record ever counted in its partition) therefore has no
 * offset, and under exactly-once a task with local state and a store without an offset is declared
 * corrupted: its whole state is wiped and restored from the changelogs, at every start. A store
 * that says it does not manage its own offsets is instead checkpointed by Kafka Streams itself (a
 * {@code .checkpoint_<store>} file written when the task closes cleanly and deleted when it opens,
 * so a crash still restores), and an empty store's checkpoint records "no offset yet" rather than
 * nothing. Everything else is the RocksDB window store, unchanged.
 */
public final class CheckpointedWindowStores {

  private CheckpointedWindowStores() {}

  /** Like {@link Stores#persistentWindowStore(String, Duration, Duration, boolean)}, checkpointed by Kafka Streams. */
  public static WindowBytesStoreSupplier persistent(String name, Duration retention, Duration windowSize,
      boolean retainDuplicates) {
    WindowBytesStoreSupplier rocksDb = Stores.persistentWindowStore(name, retention, windowSize, retainDuplicates);
    return new WindowBytesStoreSupplier() {
      @Override
      public String name() {
        return rocksDb.name();
      }

      @Override
      public WindowStore<Bytes, byte[]> get() {
        return new Checkpointed(rocksDb.get());
      }

      @Override
      public String metricsScope() {
        return rocksDb.metricsScope();
      }

      @Override
      public long segmentIntervalMs() {
        return rocksDb.segmentIntervalMs();
      }

      @Override
      public long windowSize() {
        return rocksDb.windowSize();
      }

      @Override
      public boolean retainDuplicates() {
        return rocksDb.retainDuplicates();
      }

      @Override
      public long retentionPeriod() {
        return rocksDb.retentionPeriod();
      }
    };
  }

  /** The RocksDB window store, saying it does not manage its offsets. */
  private static final class Checkpointed implements WindowStore<Bytes, byte[]> {

    private final WindowStore<Bytes, byte[]> store;

    Checkpointed(WindowStore<Bytes, byte[]> store) {
      this.store = store;
    }

    @Override
    public boolean managesOffsets() {
      return false;
    }

    /** Null, as the contract says for a store that does not manage its offsets; Kafka Streams reads its checkpoint. */
    @Override
    public Long committedOffset(TopicPartition partition) {
      return null;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
      store.commit(changelogOffsets);
    }

    @Override
    public String name() {
      return store.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      store.init(context, root);
    }

    @Override
    public void close() {
      store.close();
    }

    @Override
    public boolean persistent() {
      return store.persistent();
    }

    @Override
    public boolean isOpen() {
      return store.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
      return store.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
      return store.getPosition();
    }

    @Override
    public void put(Bytes key, byte[] value, long windowStartTimestamp) {
      store.put(key, value, windowStartTimestamp);
    }

    @Override
    public byte[] fetch(Bytes key, long time) {
      return store.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
      return store.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
      return store.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
      return store.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo, long timeFrom,
        long timeTo) {
      return store.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
      return store.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
      return store.backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
      return store.all();
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
      return store.backwardAll();
    }
  }
}
