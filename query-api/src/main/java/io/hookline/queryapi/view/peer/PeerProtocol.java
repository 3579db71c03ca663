package io.hookline.queryapi.view.peer;

import io.hookline.queryapi.view.InternalRoutes;
import io.hookline.schemas.AvroSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * How query-api instances ask each other for the part of a view they hold: the internal routes
 * under {@value #INTERNAL_PREFIX} (authenticated with the caller's own bearer token, like every
 * route), the header that names the forwarding instance, and the body, a list of Avro records.
 * Both sides of the exchange use this class, so they cannot disagree.
 *
 * <p>Body: a 4-byte record count, then per record a 4-byte length and the record in Hookline's
 * Avro single-object encoding ({@link AvroSerde}), which carries the schema fingerprint, so an
 * instance of another version fails loudly rather than misreading.
 */
public final class PeerProtocol {

  /** Routes under this prefix answer from the instance's own copy only; they never forward. */
  public static final String INTERNAL_PREFIX = InternalRoutes.PREFIX;
  /** Set by the forwarding instance to its own address, for the logs of the one that answers. */
  public static final String FORWARDED_BY_HEADER = "X-Hookline-Forwarded-By";
  public static final String RECORDS_MEDIA_TYPE = "application/octet-stream";

  private static final int MAX_RECORDS = 100_000;

  private PeerProtocol() {}

  /** {@code /internal/v1/{portal}/webhooks/{webhookId}/{view}}, e.g. view "failed-executions". */
  public static String webhookPath(String portal, String webhookId, String view) {
    return INTERNAL_PREFIX + segment(portal) + "/webhooks/" + segment(webhookId) + "/" + view;
  }

  public static String queryValue(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public static <T extends SpecificRecord> byte[] encode(List<T> records, AvroSerde<T> serde) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(records.size());
      for (T record : records) {
        byte[] encoded = serde.encode(record);
        out.writeInt(encoded.length);
        out.write(encoded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The records of {@code body}; throws IllegalArgumentException when it is not such a list. */
  public static <T extends SpecificRecord> List<T> decode(byte[] body, AvroSerde<T> serde) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      int count = in.readInt();
      if (count < 0 || count > MAX_RECORDS) {
        throw new IllegalArgumentException("a list of " + count + " records");
      }
      List<T> records = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          throw new IllegalArgumentException("a record of " + length + " bytes in a body of " + body.length);
        }
        records.add(serde.decode(in.readNBytes(length)));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " bytes after the last record");
      }
      return records;
    } catch (IOException e) {
      throw new IllegalArgumentException("a truncated list of records", e);
    }
  }
}
