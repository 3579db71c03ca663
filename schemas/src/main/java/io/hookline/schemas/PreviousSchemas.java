package io.hookline.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The earlier versions of a record's schema that records on topics and in state stores may still
 * carry. Single-object encoding names the writer's schema by fingerprint, so a reader decodes a
 * record written with an older schema only if it knows that schema: each one is kept, self-contained,
 * as the resource {@code io/hookline/avro/previous/<Name>-<version>.avsc} (versions 1, 2, ... in the
 * order they were replaced). A field added to a schema must have a default, so that every previous
 * version resolves into the current one.
 */
public final class PreviousSchemas {

  private static final String FOLDER = "/io/hookline/avro/previous/";

  private PreviousSchemas() {}

  /** The previous versions of the schema of the record named {@code schema}, oldest first; empty when none. */
  public static List<Schema> of(Schema schema) {
    List<Schema> previous = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = FOLDER + schema.getName() + "-" + version + ".avsc";
      try (InputStream in = PreviousSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          return previous;
        }
        previous.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + resource, e);
      }
    }
  }
}
