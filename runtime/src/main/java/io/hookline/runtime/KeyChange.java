package io.hookline.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A change of one key of a compacted topic, applied by {@link FencedUpdates} to the key's latest
 * value. Called on the partition's writer thread, possibly more than once (again after another
 * writer took the partition over), so it must have no side effects; throwing refuses the change,
 * and the caller gets the exception once the batch is settled.
 */
@FunctionalInterface
public interface KeyChange<V, T> {

  Decision<V, T> decide(Optional<V> current);

  /** What a change decided for the current value of its key, and what its caller gets back. */
  record Decision<V, T>(boolean write, V value, T answer, List<ProducerRecord<byte[], byte[]>> alongside) {

    public Decision {
      alongside = List.copyOf(alongside);
    }

    /** Write {@code value} (null: a tombstone) and answer {@code answer}. */
    public static <V, T> Decision<V, T> write(V value, T answer) {
      return new Decision<>(true, value, answer, List.of());
    }

    /** Write nothing; answer {@code answer}. */
    public static <V, T> Decision<V, T> none(T answer) {
      return new Decision<>(false, null, answer, List.of());
    }

    /** The same decision, with {@code record} written in the same transaction (any topic). */
    public Decision<V, T> alongside(ProducerRecord<byte[], byte[]> record) {
      List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>(alongside);
      more.add(record);
      return new Decision<>(write, value, answer, more);
    }
  }
}
