package io.hookline.queryapi.graphql;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.hookline.queryapi.http.MessageErrorHandler;
import io.micronaut.configuration.graphql.JacksonGraphQLJsonSerializer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * A {@code /graphql} request whose body is not a JSON object (malformed, too deep, null, a number),
 * or whose {@code query}, {@code operationName} or {@code variables} has the wrong JSON type: 400
 * {@code INVALID_JSON} in the API's error shape, naming the field where one is wrong. Micronaut's
 * GraphQL controller parses the body with its JSON serializer, which reports all of these as a bare
 * RuntimeException (a 500); {@link Reader} turns them into this exception, {@link Handler} answers.
 */
final class MalformedGraphQLRequest extends RuntimeException {

  private static final String SHAPE = "send {\"query\": \"...\", \"variables\": {...}}";

  MalformedGraphQLRequest(Throwable cause) {
    super("The request body is not a GraphQL request in JSON; " + SHAPE, cause);
  }

  MalformedGraphQLRequest(String field, Throwable cause) {
    super("'" + field + "' has the wrong JSON type (query and operationName are strings, variables an object); "
        + SHAPE, cause);
  }

  /** Micronaut's GraphQL JSON serializer, with unparseable request bodies reported as such. */
  @Singleton
  @Replaces(JacksonGraphQLJsonSerializer.class)
  static class Reader extends JacksonGraphQLJsonSerializer {

    Reader(JsonMapper jsonMapper) {
      super(jsonMapper);
    }

    @Override
    public <T> T deserialize(String json, Class<T> type) {
      try {
        T request = super.deserialize(json, type);
        if (request == null) {
          throw new MalformedGraphQLRequest(new IllegalArgumentException("The request body is JSON null"));
        }
        return request;
      } catch (MalformedGraphQLRequest e) {
        throw e;
      } catch (RuntimeException e) {
        // The text is the client's request body: whatever it fails on (syntax, limits, a JSON value
        // that is no request object) is the client's mistake.
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
          List<JsonMappingException.Reference> path = mismatch.getPath();
          throw new MalformedGraphQLRequest(path.get(0).getFieldName(), e);
        }
        throw new MalformedGraphQLRequest(e);
      }
    }
  }

  @Singleton
  static class Handler extends MessageErrorHandler<MalformedGraphQLRequest> {
    Handler() {
      super(HttpStatus.BAD_REQUEST, "INVALID_JSON");
    }
  }
}
