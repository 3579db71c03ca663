package io.hookline.queryapi.graphql;

import io.hookline.queryapi.http.MessageErrorHandler;
import io.micronaut.configuration.graphql.JacksonGraphQLJsonSerializer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;

/**
 * A {@code /graphql} request whose body is not JSON: 400 {@code INVALID_JSON} in the API's error
 * shape. Micronaut's GraphQL controller parses the body with its JSON serializer, which reports bad
 * JSON as a bare RuntimeException (a 500); {@link Reader} tells it apart, {@link Handler} answers.
 */
final class MalformedGraphQLRequest extends RuntimeException {

  MalformedGraphQLRequest(Throwable cause) {
    super("The request body is not JSON; send {\"query\": \"...\", \"variables\": {...}}", cause);
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
        return super.deserialize(json, type);
      } catch (RuntimeException e) {
        if (e.getCause() instanceof JsonSyntaxException) {
          throw new MalformedGraphQLRequest(e);
        }
        throw e;
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
