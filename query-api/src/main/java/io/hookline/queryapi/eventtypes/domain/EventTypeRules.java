package io.hookline.queryapi.eventtypes.domain;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.runtime.EventSchema;

/**
 * What makes an event type's fields valid. Each check returns the value to store or throws an
 * {@link InvalidFieldException} naming the field.
 */
public final class EventTypeRules {

  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_DESCRIPTION_LENGTH = 1000;

  private EventTypeRules() {}

  /** An exact event name (no wildcard), 1 to {@value #MAX_NAME_LENGTH} visible ASCII characters, no '/'. */
  public static String name(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidFieldException("name", "'name' is required");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidFieldException("name", "'name' must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (!name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '*' && c != '/')) {
      throw new InvalidFieldException("name",
          "'name' must be an exact event name: visible ASCII without spaces, '*' or '/'");
    }
    return name;
  }

  /** At most {@value #MAX_DESCRIPTION_LENGTH} characters; null for none. */
  public static String description(String description) {
    if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
      throw new InvalidFieldException("description",
          "'description' must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
    }
    return description;
  }

  /** A valid JSON Schema (draft 2020-12) as JSON text, or null for none; returned as compiled. */
  public static String schema(String schema) {
    if (schema == null) {
      return null;
    }
    try {
      EventSchema.compile(schema);
    } catch (EventSchema.InvalidSchemaException e) {
      throw new InvalidFieldException("schema", "'schema' is not a valid JSON Schema (draft 2020-12): " + e.getMessage());
    }
    return schema;
  }
}
