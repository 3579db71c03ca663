package io.hookline.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record framed for a schema registry names a schema id the registry does not know (404): the
 * record can never be decoded with this registry, so it is refused like any undecodable record
 * (reason {@code UNKNOWN_SCHEMA_ID}), not retried.
 */
public final class UnknownSchemaIdException extends SerializationException {

  private final int id;

  public UnknownSchemaIdException(int id, String registry, String answer) {
    super("schema id " + id + " is unknown to the schema registry at " + registry + " (" + answer + ")");
    this.id = id;
  }

  public int id() {
    return id;
  }
}
