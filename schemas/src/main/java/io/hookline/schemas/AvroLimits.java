package io.hookline.schemas;

import org.apache.avro.SystemLimitException;

/**
 * Bounds what Avro allocates for one string, byte array or collection while decoding. Avro trusts
 * the length a record claims and allocates it before reading: without a bound, a 16-byte record on
 * any Hookline topic claiming a 1 GiB string exhausts the heap (and the service would meet it again
 * after every restart). No Hookline record comes near {@value #MAX_LENGTH} bytes (Kafka's default
 * message limit is 1 MiB), so a longer claim can only be a corrupt record, which then fails to
 * decode like any other and goes where undecodable records go.
 *
 * <p>Avro reads these system properties once, when it first checks a length; this sets them before
 * any Hookline decoder is built, unless the operator set them (with {@code -D}).
 */
final class AvroLimits {

  /** Longest string or byte array, in bytes. */
  static final int MAX_LENGTH = 16 * 1024 * 1024;
  /** Most items of one array or map. */
  static final int MAX_ITEMS = 1_000_000;

  private AvroLimits() {}

  static synchronized void install() {
    setUnlessSet(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_LENGTH);
    setUnlessSet(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_LENGTH);
    setUnlessSet(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
  }

  private static void setUnlessSet(String property, int limit) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(limit));
    }
  }
}
