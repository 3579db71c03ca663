package io.hookline.runtime;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schema of an event type, compiled once: the query API compiles a schema to refuse an
 * invalid one (400 naming {@code schema}), the dispatcher keeps it compiled and checks every event
 * of the type against it. Draft 2020-12 unless the schema's {@code $schema} names another draft the
 * validator knows (networknt {@code json-schema-validator}). Nothing is ever fetched: a {@code $ref}
 * to a remote document is refused when compiling, so neither service can be made to call a URL.
 * Thread-safe once compiled.
 */
public final class EventSchema {

  /** Errors named in one answer at most; the count says how many there were. */
  public static final int MAX_ERRORS_LISTED = 10;

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
  private static final Schema META_SCHEMA =
      REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

  private final Schema schema;

  private EventSchema(Schema schema) {
    this.schema = schema;
  }

  /** A schema that is not a valid JSON Schema, with why. */
  public static final class InvalidSchemaException extends Exception {
    InvalidSchemaException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Compiles {@code json}, which must be a JSON Schema valid against the draft 2020-12 meta-schema
   * whose references all resolve within it.
   */
  public static EventSchema compile(String json) throws InvalidSchemaException {
    try {
      List<Error> metaErrors = META_SCHEMA.validate(json, InputFormat.JSON);
      if (!metaErrors.isEmpty()) {
        throw new InvalidSchemaException(describe(metaErrors), null);
      }
      Schema schema = REGISTRY.getSchema(json, InputFormat.JSON);
      schema.initializeValidators();
      return new EventSchema(schema);
    } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
      throw new InvalidSchemaException(String.valueOf(e.getMessage()), e);
    } catch (RuntimeException e) {
      // The parser's own exceptions (not JSON at all) are Jackson's; whatever their type, the schema is unusable.
      throw new InvalidSchemaException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Why the JSON document {@code json} does not match, or null when it does. */
  public String violations(String json) {
    List<Error> errors;
    try {
      errors = schema.validate(json, InputFormat.JSON);
    } catch (RuntimeException e) {
      return "the payload could not be checked: " + e.getMessage();
    }
    return errors.isEmpty() ? null : describe(errors);
  }

  /** {@code "2 errors: $.order_id: required property 'order_id' not found; ..."}, at most {@value #MAX_ERRORS_LISTED} named. */
  static String describe(List<Error> errors) {
    List<String> named = new ArrayList<>();
    for (Error e : errors.subList(0, Math.min(errors.size(), MAX_ERRORS_LISTED))) {
      named.add(e.toString());
    }
    String more = errors.size() > MAX_ERRORS_LISTED ? "; ..." : "";
    return errors.size() + (errors.size() == 1 ? " error: " : " errors: ") + String.join("; ", named) + more;
  }
}
