package io.hookline.queryapi.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The two scalars of the schema. {@code DateTime}: an RFC 3339 date-time; output at UTC with
 * millisecond precision ({@code 2024-01-01T10:15:30.123Z}), input with any offset, read as an
 * {@link Instant}; anything else is refused with a message that shows the expected form.
 * {@code JSON}: output only, the event's JSON text as a JSON value (text that is not JSON stays a
 * string).
 */
final class GraphQLScalars {

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  private GraphQLScalars() {}

  static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar()
      .name("DateTime")
      .description("A date-time at UTC in RFC 3339 form, such as 2007-12-03T10:15:30Z")
      .coercing(new Coercing<Instant, String>() {
        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
          if (value instanceof Instant instant) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
          }
          throw new CoercingSerializeException("Not an Instant: " + value);
        }

        @Override
        public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
          if (input instanceof String text) {
            return parse(text, CoercingParseValueException::new);
          }
          throw new CoercingParseValueException(expected(input));
        }

        @Override
        public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
            Locale locale) {
          if (input instanceof StringValue text) {
            return parse(text.getValue(), CoercingParseLiteralException::new);
          }
          throw new CoercingParseLiteralException(expected(input));
        }
      })
      .build();

  static final GraphQLScalarType JSON = GraphQLScalarType.newScalar()
      .name("JSON")
      .description("Any JSON value (ECMA-404)")
      .coercing(new Coercing<Object, Object>() {
        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) {
          if (!(value instanceof String text)) {
            return value;
          }
          try {
            return JSON_MAPPER.readValue(text, Object.class);
          } catch (JsonProcessingException e) {
            return text;
          }
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
          throw new CoercingParseValueException("JSON values are output only");
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
            Locale locale) {
          throw new CoercingParseLiteralException("JSON values are output only");
        }
      })
      .build();

  private static <E extends RuntimeException> Instant parse(String text,
      java.util.function.Function<String, E> error) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw error.apply(expected(text));
    }
  }

  private static String expected(Object input) {
    return "'from' and 'to' must be RFC 3339 date-times with an offset, such as 2024-01-01T00:00:00Z; got '" + input
        + "'";
  }
}
