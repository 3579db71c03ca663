package io.hookline.schemas;

/**
 * Avro 1.12 refuses to instantiate generated classes from packages it does not trust. Hookline's
 * generated records live in {@code io.hookline.avro}; this adds that package to the trusted list
 * once, before any decoder is built.
 */
final class TrustedAvroPackages {

  static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
  static final String PACKAGE = "io.hookline.avro";

  private TrustedAvroPackages() {}

  static synchronized void install() {
    String current = System.getProperty(PROPERTY);
    if (current == null || current.isBlank()) {
      System.setProperty(PROPERTY, PACKAGE);
    } else if (!java.util.Arrays.asList(current.split(",")).contains(PACKAGE)) {
      System.setProperty(PROPERTY, current + "," + PACKAGE);
    }
  }
}
