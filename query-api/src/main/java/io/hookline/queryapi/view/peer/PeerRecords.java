package io.hookline.queryapi.view.peer;

import io.hookline.queryapi.view.Page;
import io.hookline.schemas.AvroSerde;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * How one view's entries travel between instances: as the Avro records of the topic the view is
 * built from ({@link PeerProtocol}, {@link PeerPages}), mapped to and from the view's own types here,
 * so nothing outside the peer adapter sees the wire format.
 */
public final class PeerRecords<V, A extends SpecificRecord> {

  private final AvroSerde<A> serde;
  private final Function<V, A> toAvro;
  private final Function<A, V> fromAvro;

  private PeerRecords(AvroSerde<A> serde, Function<V, A> toAvro, Function<A, V> fromAvro) {
    this.serde = serde;
    this.toAvro = toAvro;
    this.fromAvro = fromAvro;
  }

  public static <V, A extends SpecificRecord> PeerRecords<V, A> of(Class<A> type, Function<V, A> toAvro,
      Function<A, V> fromAvro) {
    return new PeerRecords<>(AvroSerde.of(type), toAvro, fromAvro);
  }

  byte[] encode(List<V> entries) {
    return PeerProtocol.encode(entries.stream().map(toAvro).toList(), serde);
  }

  List<V> decode(byte[] body) {
    return PeerProtocol.decode(body, serde).stream().map(fromAvro).toList();
  }

  byte[] encodePage(Page<V> page) {
    return PeerPages.encode(page.map(toAvro), serde);
  }

  Page<V> decodePage(byte[] body) {
    return PeerPages.decode(body, serde).map(fromAvro);
  }
}
