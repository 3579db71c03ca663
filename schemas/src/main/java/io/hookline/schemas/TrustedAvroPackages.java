package io.hookline.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate generated classes from packages it does not trust. Hookline's
 * generated records live in {@code io.hookline.avro}; this trusts that package once, before any
 * decoder is built. Avro reads its system property only once, when its class validator first loads,
 * which may be before this runs (a record class built before the first serde), so the package is
 * also added to the validator itself; the property is still set for readers that look at it.
 */
final class TrustedAvroPackages {

  static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
  static final String PACKAGE = "io.hookline.avro";

  private static boolean installed;

  private TrustedAvroPackages() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    String current = System.getProperty(PROPERTY);
    if (current == null || current.isBlank()) {
      System.setProperty(PROPERTY, PACKAGE);
    } else if (!java.util.Arrays.asList(current.split(",")).contains(PACKAGE)) {
      System.setProperty(PROPERTY, current + "," + PACKAGE);
    }
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
        c -> PACKAGE.equals(c.getPackageName())));
    installed = true;
  }
}
