package io.hookline.schemas;

/**
 * The schema registry could not answer a call within its bound (down, slow, refusing the credentials,
 * or refusing the schema). Not a Kafka exception on purpose: a record that could not be written or
 * read because of it must not be mistaken for an undecodable record and skipped.
 */
public class SchemaRegistryException extends RuntimeException {

  public SchemaRegistryException(String message) {
    super(message);
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
